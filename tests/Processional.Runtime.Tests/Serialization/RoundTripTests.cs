using System.Collections.Immutable;
using System.Numerics;
using Processional.Serialization;

namespace Processional.Tests.Serialization;

/// <summary>
/// Every built-in type survives a round trip: read from one array, from a sequence split into 1-byte segments and from
/// one split into 7-byte segments (so that every value straddles segment boundaries), in both string encodings.
/// </summary>
public sealed class RoundTripTests
{
    private static readonly ProcessionalSerializerOptions s_utf16 = new() { StringEncoding = StringEncoding.Utf16 };

    public RoundTripTests() => TestFormatters.Register();

    /// <summary>Round-trips <paramref name="value"/> every way and checks each result with <paramref name="check"/>.</summary>
    private static void RoundTrip<T>(T? value, Action<T?> check)
    {
        foreach (var options in new[] { ProcessionalSerializerOptions.Default, s_utf16 })
        {
            var bytes = ProcessionalSerializer.Serialize(value, options);
            check(ProcessionalSerializer.Deserialize<T>(bytes, options));
            foreach (var segmentSize in new[] { 1, 7 })
            {
                check(ProcessionalSerializer.Deserialize<T>(Hex.Segmented(bytes, segmentSize), options));
            }
        }
    }

    private static void RoundTripEqual<T>(T? value) => RoundTrip(value, read => Assert.Equal(value, read));

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Primitives_and_bcl_value_types_round_trip()
    {
        RoundTripEqual(true);
        RoundTripEqual('\u00e9');
        RoundTripEqual(byte.MaxValue);
        RoundTripEqual(sbyte.MinValue);
        RoundTripEqual(short.MinValue);
        RoundTripEqual(ushort.MaxValue);
        RoundTripEqual(int.MinValue);
        RoundTripEqual(uint.MaxValue);
        RoundTripEqual(long.MinValue);
        RoundTripEqual(ulong.MaxValue);
        RoundTripEqual(float.NaN);
        RoundTripEqual(double.Epsilon);
        RoundTripEqual(Half.MaxValue);
        RoundTripEqual(Int128.MinValue);
        RoundTripEqual(UInt128.MaxValue);
        RoundTripEqual(decimal.MaxValue);
        RoundTripEqual(-0.0000000000000000000000000001m);
        RoundTripEqual(DateTime.MaxValue);
        RoundTripEqual(new DateTime(2024, 2, 29, 12, 0, 0, DateTimeKind.Local));
        RoundTripEqual(TimeSpan.MinValue);
        RoundTripEqual(DateOnly.MaxValue);
        RoundTripEqual(TimeOnly.MaxValue);
        RoundTripEqual(Guid.NewGuid());
        RoundTripEqual(Color.Green);
        RoundTrip(DateTimeOffset.Now, read => Assert.Equal(DateTimeOffset.Now.Offset, read.Offset));
        var moment = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.FromHours(-14));
        RoundTrip(moment, read => Assert.Equal((moment.UtcTicks, moment.Offset), (read.UtcTicks, read.Offset)));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Strings_round_trip_null_empty_non_ascii_and_large()
    {
        RoundTripEqual<string>(null);
        RoundTripEqual(string.Empty);
        RoundTripEqual("h\u00e9llo, \u4e16\u754c \ud83d\ude00");
        RoundTripEqual(string.Concat(Enumerable.Repeat("\u00e9t\u00e9 \ud83c\udf1e ", 5000)));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Nullables_round_trip()
    {
        RoundTripEqual<int?>(42);
        RoundTripEqual<int?>(null);
        RoundTripEqual<decimal?>(1.25m);
        RoundTripEqual<DateTime?>(DateTime.UnixEpoch);
        RoundTripEqual<Guid?>(null);
        RoundTripEqual<(int, string)?>((3, "c"));
        RoundTripEqual<(int, string)?>(null);
        RoundTripEqual<KeyValuePair<string, int>?>(new KeyValuePair<string, int>("k", 1));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Arrays_round_trip_null_empty_large_and_nested()
    {
        RoundTripEqual<int[]>(null);
        RoundTripEqual(Array.Empty<string>());
        RoundTripEqual(Enumerable.Range(0, 100_000).ToArray());
        RoundTripEqual(Enumerable.Range(0, 1000).Select(static i => i % 3 == 0 ? null : i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        RoundTripEqual(new[] { new[] { 1, 2 }, null, [] });
        RoundTripEqual(new[] { Color.Red, Color.Green });
        RoundTripEqual(new[] { 1.5m, -2m });
        RoundTripEqual(new int?[] { 1, null, 3 });
        RoundTripEqual(new[] { (1, "a"), (2, "b") });
        RoundTripEqual(new[] { new Pixel { R = 1, Tag = -1 }, new Pixel { B = 255, Tag = int.MaxValue } });
        RoundTrip(new[] { new Person { Age = 1, Name = "a" }, null }, read => Assert.Equal(new[] { "a", null }, read!.Select(static p => p?.Name)));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Multi_dimensional_arrays_round_trip()
    {
        var matrix = new double[3, 4];
        var cube = new string?[2, 3, 2];
        var tesseract = new long[2, 2, 2, 2];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                matrix[i, j] = (i * 10) + j + 0.5;
            }
        }

        cube[1, 2, 1] = "corner";
        cube[0, 1, 0] = string.Empty;
        tesseract[1, 0, 1, 0] = long.MaxValue;

        RoundTripEqual(matrix);
        RoundTripEqual(cube);
        RoundTripEqual(tesseract);
        RoundTripEqual(new int[0, 5]);
        RoundTripEqual<int[,]>(null);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Lists_memories_and_segments_round_trip()
    {
        RoundTripEqual<List<int>>(null);
        RoundTripEqual(new List<string>());
        RoundTripEqual(Enumerable.Range(0, 10_000).Select(static i => "item " + i).ToList());
        RoundTripEqual(new List<List<int>?> { new() { 1 }, null, new() });
        RoundTrip(new Memory<string?>(["a", null]), read => Assert.Equal(new[] { "a", null }, read.ToArray()));
        RoundTrip(new ReadOnlyMemory<long>([1, 2, 3]), read => Assert.Equal([1L, 2, 3], read.ToArray()));
        RoundTrip(new ArraySegment<string>(["x", "y", "z"], 1, 2), read => Assert.Equal(["y", "z"], read.ToArray()));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Dictionaries_sets_queues_and_stacks_round_trip()
    {
        RoundTripEqual(Enumerable.Range(0, 5000).ToDictionary(static i => "key" + i, static i => (List<int>?)[i, -i]));
        RoundTripEqual<Dictionary<string, int>>(null);
        RoundTripEqual(new Dictionary<int, string?> { [1] = null, [2] = "two" });
        RoundTripEqual(new Dictionary<Guid, DateTime> { [Guid.NewGuid()] = DateTime.UnixEpoch });
        RoundTripEqual(new SortedDictionary<string, double> { ["b"] = 2, ["a"] = 1 });
        RoundTripEqual(new HashSet<string?> { "a", null, "b" });
        RoundTripEqual(new SortedSet<int> { 5, 1, 3 });
        RoundTrip(new Queue<string>(["first", "second"]), read => Assert.Equal(new[] { "first", "second" }, read!.ToArray()));
        RoundTrip(new Stack<long>([1, 2, 3]), read => Assert.Equal(new[] { 3L, 2, 1 }, read!.ToArray()));
        RoundTripEqual(new KeyValuePair<string, List<int>>("k", [1]));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Immutable_collections_round_trip()
    {
        RoundTrip(ImmutableArray.Create("a", "b"), read => Assert.Equal(["a", "b"], read.ToArray()));
        RoundTrip(default(ImmutableArray<int>), read => Assert.True(read.IsDefault));
        RoundTrip(ImmutableArray<int>.Empty, read => Assert.True(read is { IsDefault: false, IsEmpty: true }));
        RoundTripEqual(ImmutableList.CreateRange(Enumerable.Range(0, 1000)));
        RoundTripEqual(ImmutableDictionary.CreateRange(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }));
        RoundTripEqual(ImmutableHashSet.Create("x", "y"));
        RoundTripEqual(ImmutableSortedDictionary.CreateRange(new Dictionary<int, string> { [2] = "b", [1] = "a" }));
        RoundTripEqual(ImmutableSortedSet.Create(3, 1, 2));
        RoundTrip(ImmutableQueue.Create("a", "b", "c"), read => Assert.Equal(new[] { "a", "b", "c" }, read!.ToArray()));
        RoundTrip(ImmutableStack.Create("bottom", "top"), read => Assert.Equal(new[] { "top", "bottom" }, read!.ToArray()));
        RoundTrip<ImmutableQueue<int>>(ImmutableQueue<int>.Empty, read => Assert.Empty(read!));
        RoundTripEqual<ImmutableList<int>>(null);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Collection_interfaces_round_trip_whatever_implements_them()
    {
        RoundTripEqual<IList<int>>(new[] { 1, 2 });
        RoundTripEqual<IReadOnlyList<string>>(ImmutableList.Create("a"));
        RoundTripEqual<ICollection<int>>(new LinkedList<int>([4, 5]));
        RoundTripEqual<IReadOnlyCollection<int>>(new Queue<int>([7]));
        RoundTripEqual<IEnumerable<int>>(Enumerable.Range(0, 100).Where(static i => i % 2 == 0));
        RoundTripEqual<IEnumerable<string>>(new[] { "a" }.Select(static s => s + "b"));
        RoundTripEqual<ISet<string>>(new SortedSet<string> { "a", "b" });
        RoundTripEqual<IReadOnlySet<int>>(ImmutableHashSet.Create(1, 2));
        RoundTripEqual<IDictionary<string, int>>(new SortedDictionary<string, int> { ["a"] = 1 });
        RoundTripEqual<IReadOnlyDictionary<string, int>>(ImmutableDictionary<string, int>.Empty.Add("z", 26));
        RoundTripEqual<IList<int>>(null);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Tuples_of_every_arity_round_trip()
    {
        RoundTripEqual(ValueTuple.Create("1"));
        RoundTripEqual((1, "2"));
        RoundTripEqual((1, "2", 3.0));
        RoundTripEqual((1, "2", 3.0, '4'));
        RoundTripEqual((1, "2", 3.0, '4', 5L));
        RoundTripEqual((1, "2", 3.0, '4', 5L, (byte)6));
        RoundTripEqual((1, "2", 3.0, '4', 5L, (byte)6, 7m));
        RoundTripEqual((1, "2", 3.0, '4', 5L, (byte)6, 7m, "8"));
        RoundTripEqual((1, "2", 3.0, '4', 5L, (byte)6, 7m, "8", 9, "10"));
        RoundTripEqual((1, 2, 3, 4, 5, 6, 7, 8, 9));
        RoundTripEqual(Tuple.Create("1"));
        RoundTripEqual(Tuple.Create(1, "2"));
        RoundTripEqual(Tuple.Create(1, "2", 3.0));
        RoundTripEqual(Tuple.Create(1, "2", 3.0, '4'));
        RoundTripEqual(Tuple.Create(1, "2", 3.0, '4', 5L));
        RoundTripEqual(Tuple.Create(1, "2", 3.0, '4', 5L, (byte)6));
        RoundTripEqual(Tuple.Create(1, "2", 3.0, '4', 5L, (byte)6, 7m));
        RoundTripEqual(Tuple.Create(1, "2", 3.0, '4', 5L, (byte)6, 7m, "8"));
        RoundTripEqual<Tuple<int, string>>(null);
        RoundTrip((1, (string?)null, (2, "nested", new List<int> { 3 })), read =>
        {
            Assert.Equal((1, null, 2, "nested"), (read.Item1, read.Item2, read.Item3.Item1, read.Item3.Item2));
            Assert.Equal([3], read.Item3.Item3);
        });
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task BigInteger_uri_and_version_round_trip()
    {
        RoundTripEqual(BigInteger.Pow(7, 500));
        RoundTripEqual(-BigInteger.Pow(2, 64));
        RoundTripEqual(BigInteger.One);
        RoundTripEqual(new Uri("https://example.com/a%20b?q=1#frag"));
        RoundTripEqual(new Uri("../relative/path", UriKind.Relative));
        RoundTripEqual(new Uri("file:///tmp/x"));
        RoundTripEqual(new Version(1, 2, 3, 4));
        RoundTripEqual(new Version(0, 0));
        RoundTripEqual(new Version(10, 0, 19041));
        RoundTripEqual(new List<Version?> { new(1, 0), null });
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Collections_of_types_registered_by_generated_code_use_those_formatters()
    {
        var people = new Dictionary<string, List<Person>> { ["team"] = [new Person { Age = 30, Name = "Ann" }] };
        RoundTrip(people, read => Assert.Equal("Ann", read!["team"][0].Name));
        RoundTrip(ImmutableArray.Create<IShape>(new Xyz { XYZ = 1 }, new Circle { Radius = 2 }), read => Assert.IsType<Circle>(read[1]));
        RoundTrip(new[,] { { new Point { X = 1 } } }, read => Assert.Equal(1, read![0, 0].X));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Reading_into_an_existing_list_or_dictionary_reuses_it()
    {
        var list = new List<int> { 9, 9, 9, 9 };
        var bytes = ProcessionalSerializer.Serialize(new List<int> { 1, 2 });
        ProcessionalSerializer.Deserialize(bytes, ref list);
        Assert.Equal([1, 2], list!);

        var dictionary = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["old"] = 0 };
        ProcessionalSerializer.Deserialize(ProcessionalSerializer.Serialize(new Dictionary<string, int> { ["A"] = 1 }), ref dictionary);
        Assert.Equal(1, dictionary!["a"]);
        Assert.Single(dictionary);

        // A covariant array cannot hold what is read: a new array of the declared type replaces it.
        IShape?[]? covariant = new Xyz[2];
        ProcessionalSerializer.Deserialize(ProcessionalSerializer.Serialize(new IShape?[] { new Circle { Radius = 1 }, null }), ref covariant);
        Assert.IsType<IShape[]>(covariant);
        Assert.IsType<Circle>(covariant![0]);
        return Task.CompletedTask;
    }
}
