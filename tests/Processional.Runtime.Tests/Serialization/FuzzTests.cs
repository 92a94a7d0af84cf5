using System.Buffers;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Processional.Serialization;
using Xunit.Abstractions;

namespace Processional.Tests.Serialization;

/// <summary>
/// Feeds mutated (bit flips, truncations, insertions, deletions, forged lengths) and random payloads through the
/// readers of many types, contiguous and split into segments, and accepts only a value or a
/// <see cref="ProcessionalSerializationException"/>. Runs a fixed seed and a fresh one; both are printed, and
/// <c>PROCESSIONAL_FUZZ_SEED</c> replays a given one.
/// </summary>
public sealed class FuzzTests
{
    private const int FixedSeed = 0x5EED;
    private const int IterationsPerSeed = 60_000;

    private static readonly int[] s_interestingInts = [-1, -2, -3, 0, 1, 2, 3, 7, 8, 127, 128, 249, 250, 255, 256, 65535, 65536, int.MaxValue, int.MinValue, 0x3FFFFFFF, 0x7FFFFFC7, -121, -128];

    private readonly ITestOutputHelper _output;

    public FuzzTests(ITestOutputHelper output)
    {
        _output = output;
        TestFormatters.Register();
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public Task Mutated_and_random_payloads_throw_nothing_but_the_serialization_exception()
    {
        var targets = BuildTargets();
        var fresh = Environment.GetEnvironmentVariable("PROCESSIONAL_FUZZ_SEED") is { } replay
            ? int.Parse(replay, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        _output.WriteLine($"Fuzz seeds: {FixedSeed} (fixed) and {fresh} (fresh); replay one with PROCESSIONAL_FUZZ_SEED={fresh}.");

        var stopwatch = Stopwatch.StartNew();
        var (accepted, rejected) = Run(targets, FixedSeed);
        var (accepted2, rejected2) = Run(targets, fresh);
        stopwatch.Stop();
        _output.WriteLine($"{accepted + accepted2} payloads read, {rejected + rejected2} rejected, in {stopwatch.Elapsed.TotalSeconds:F1} s over {targets.Count} types.");

        // The mutations must reach both outcomes, or the test would be exercising nothing.
        Assert.True(accepted + accepted2 > 1000, "Too few mutated payloads were readable.");
        Assert.True(rejected + rejected2 > 50_000, "Too few mutated payloads were rejected.");
        return Task.CompletedTask;
    }

    private static (int Accepted, int Rejected) Run(List<Target> targets, int seed)
    {
        var random = new Random(seed);
        int accepted = 0, rejected = 0;
        for (var iteration = 0; iteration < IterationsPerSeed; iteration++)
        {
            var target = targets[random.Next(targets.Count)];
            var payload = random.Next(50) == 0 ? RandomBytes(random, random.Next(0, 64)) : Mutate(random, target.Samples[random.Next(target.Samples.Length)]);
            var segmentSize = random.Next(3) == 0 ? random.Next(1, 17) : 0;
            var input = segmentSize == 0 ? new ReadOnlySequence<byte>(payload) : SegmentedSequence.Split(payload, segmentSize);
            try
            {
                target.Read(input);
                accepted++;
            }
            catch (ProcessionalSerializationException)
            {
                rejected++;
            }
#pragma warning disable CA1031 // Any other exception is the failure this test looks for; it is reported with what reproduces it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Assert.Fail(
                    $"Reading {target.Name} threw {ex.GetType()} (seed {seed}, iteration {iteration}, segments of {segmentSize}): {ex.Message}\n" +
                    $"Payload: {Convert.ToHexString(payload)}\n{ex}");
            }
        }

        return (accepted, rejected);
    }

    private static byte[] Mutate(Random random, byte[] sample)
    {
        var bytes = new List<byte>(sample);
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations; m++)
        {
            switch (random.Next(7))
            {
                case 0 when bytes.Count > 0:
                    // Flip one to three bits.
                    for (var flips = random.Next(1, 4); flips > 0; flips--)
                    {
                        var at = random.Next(bytes.Count);
                        bytes[at] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 1 when bytes.Count > 0:
                    // Truncate.
                    var keep = random.Next(bytes.Count);
                    bytes.RemoveRange(keep, bytes.Count - keep);
                    break;
                case 2:
                    // Insert random bytes.
                    bytes.InsertRange(random.Next(bytes.Count + 1), RandomBytes(random, random.Next(1, 9)));
                    break;
                case 3 when bytes.Count > 0:
                    // Delete a run.
                    var start = random.Next(bytes.Count);
                    bytes.RemoveRange(start, random.Next(1, Math.Min(8, bytes.Count - start) + 1));
                    break;
                case 4 when bytes.Count >= 4:
                    // Forge a length, count or header: overwrite 4 bytes with an interesting int.
                    var position = random.Next(bytes.Count - 3);
                    var forged = BitConverter.GetBytes(s_interestingInts[random.Next(s_interestingInts.Length)]);
                    for (var i = 0; i < 4; i++)
                    {
                        bytes[position + i] = forged[i];
                    }

                    break;
                case 5 when bytes.Count > 0:
                    // Overwrite one byte with an interesting header byte.
                    bytes[random.Next(bytes.Count)] = (byte)s_interestingInts[random.Next(s_interestingInts.Length)];
                    break;
                case 6 when bytes.Count > 0:
                    // Duplicate a run (repeated members, repeated keys).
                    var from = random.Next(bytes.Count);
                    var run = bytes.GetRange(from, random.Next(1, Math.Min(12, bytes.Count - from) + 1));
                    bytes.InsertRange(random.Next(bytes.Count + 1), run);
                    break;
            }
        }

        return [.. bytes];
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static List<Target> BuildTargets()
    {
        var utf16 = new ProcessionalSerializerOptions { StringEncoding = StringEncoding.Utf16 };
        var exception = CaptureSample();
        var deep = new Node { Value = 1, Next = new Node { Value = 2, Next = new Node { Value = 3 } } };
        var tree = new Tree { Children = [new Tree { Children = [] }, new Tree(), new Tree { Children = [new Tree()] }] };

        return
        [
            Target.Of("string", "", "abc", "h\u00e9llo w\u00f6rld \ud83c\udf1e", null),
            Target.Of("string (UTF-16 written)", utf16, "abc", "\u4e16\u754c"),
            Target.Of("int[]", new[] { 1, 2, 3 }, [], null),
            Target.Of("string[]", new[] { "a", null, "ccc" }),
            Target.Of("List<string>", new List<string?> { "x", "", null, "yy" }),
            Target.Of("Dictionary<string, List<int>>", new Dictionary<string, List<int>?> { ["a"] = [1, 2], ["b"] = null, ["c"] = [] }),
            Target.Of("(int, (string, List<int>))", (1, ("two", new List<int> { 3, 4 }))),
            Target.Of("Tuple<int, string, Tuple<long, string>>", Tuple.Create(1, "a", Tuple.Create(2L, "b"))),
            Target.Of("(int, string, ..., 9 elements)", (1, "2", 3, "4", 5, "6", 7, "8", 9)),
            Target.Of("ImmutableDictionary<string, int>", ImmutableDictionary<string, int>.Empty.Add("a", 1).Add("b", 2)),
            Target.Of("ImmutableList<string>", ImmutableList.Create("a", "b", "c")),
            Target.Of("ImmutableSortedSet<int>", ImmutableSortedSet.Create(1, 5, 9)),
            Target.Of("ImmutableHashSet<string>", ImmutableHashSet.Create("p", "q")),
            Target.Of("ImmutableStack<string>", ImmutableStack.Create("s", "t")),
            Target.Of("ImmutableQueue<int>", ImmutableQueue.Create(1, 2)),
            Target.Of("ImmutableArray<string>", ImmutableArray.Create("z", "w")),
            Target.Of("ImmutableSortedDictionary<int, string>", ImmutableSortedDictionary<int, string>.Empty.Add(1, "x")),
            Target.Of("decimal", 1.5m, decimal.MinValue, 0.0001m),
            Target.Of("BigInteger", BigInteger.Pow(3, 80), BigInteger.MinusOne, BigInteger.Zero),
            Target.Of("Uri", new Uri("https://example.com/path?q=1"), new Uri("rel/path", UriKind.Relative)),
            Target.Of("Version", new Version(1, 2, 3, 4), new Version(1, 0)),
            Target.Of("RemoteExceptionInfo", exception),
            Target.Of("ContractV2 (version tolerant)", new ContractV2 { A = 1, B = "b", C = [1, 2] }, new ContractV2()),
            Target.Of<ContractV1>("ContractV1 reading ContractV2", ProcessionalSerializer.Serialize(new ContractV2 { A = 7, B = "bee", C = [3] })),
            Target.Of("int[,]", new[,] { { 1, 2 }, { 3, 4 } }),
            Target.Of("string[,,]", new[,,] { { { "a", null }, { "b", "c" } } }),
            Target.Of("HashSet<string>", new HashSet<string?> { "a", "b", null }),
            Target.Of("SortedDictionary<int, string>", new SortedDictionary<int, string> { [1] = "one", [2] = "two" }),
            Target.Of("Stack<string>", new Stack<string>(["a", "b"])),
            Target.Of("Queue<string>", new Queue<string>(["a", "b"])),
            Target.Of<int?>("int?", 5, null),
            Target.Of<(int, string)?>("(int, string)?", (1, "a"), null),
            Target.Of("KeyValuePair<string, int>", new KeyValuePair<string, int>("k", 9)),
            Target.Of("DateTimeOffset", DateTimeOffset.UnixEpoch, new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(-5))),
            Target.Of("DateTime", DateTime.UnixEpoch),
            Target.Of("DateOnly", new DateOnly(2024, 1, 1)),
            Target.Of("TimeOnly", new TimeOnly(12, 30)),
            Target.Of<IReadOnlyDictionary<string, int>>("IReadOnlyDictionary<string, int>", new Dictionary<string, int> { ["k"] = 1 }),
            Target.Of<IEnumerable<string>>("IEnumerable<string>", new[] { "e", "f" }),
            Target.Of("Memory<string>", new Memory<string>(["m"])),
            Target.Of("Node", deep),
            Target.Of("Tree", tree),
            Target.Of<IShape>("IShape", new Xyz { XYZ = 999 }, new Circle { Radius = 1 }),
            Target.Of("Customer", new Customer { Id = 1, Name = "n", Balance = 2, Home = new Address { City = "c", Zip = 3 }, Tags = ["t"] }),
        ];
    }

    private static RemoteExceptionInfo CaptureSample()
    {
        try
        {
            try
            {
                throw new FormatException("inner");
            }
            catch (FormatException inner)
            {
                var outer = new InvalidOperationException("outer", inner);
                outer.Data["key"] = 42;
                outer.Data["when"] = DateTime.UnixEpoch;
                throw outer;
            }
        }
        catch (InvalidOperationException ex)
        {
            return RemoteExceptionInfo.Capture(ex);
        }
    }

    private sealed record Target(string Name, byte[][] Samples, Action<ReadOnlySequence<byte>> Read)
    {
        public static Target Of<T>(string name, params T?[] samples) => Of(name, ProcessionalSerializerOptions.Default, samples);

        public static Target Of<T>(string name, ProcessionalSerializerOptions writeOptions, params T?[] samples) =>
            new(name, [.. samples.Select(sample => ProcessionalSerializer.Serialize(sample, writeOptions))], static input => ProcessionalSerializer.Deserialize<T>(input));

        public static Target Of<T>(string name, byte[] sample) =>
            new(name, [sample], static input => ProcessionalSerializer.Deserialize<T>(input));
    }
}
