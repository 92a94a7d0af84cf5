using System.Collections.Immutable;
using System.Numerics;
using Processional.Serialization;

namespace Processional.Tests.Serialization;

/// <summary>Truncated, forged, oversized and corrupted input: each case throws <see cref="ProcessionalSerializationException"/> saying what and where.</summary>
public sealed class BadInputTests
{
    public BadInputTests() => TestFormatters.Register();

    private static ProcessionalSerializationException Rejects<T>(string hex, ProcessionalSerializerOptions? options = null) =>
        Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Deserialize<T>(Hex.Bytes(hex), options));

    [Fact(Timeout = TestTimeouts.Short)]
    public Task A_forged_length_is_rejected_before_anything_is_allocated()
    {
        // A list of 2^30 strings announced in 9 bytes.
        var bytes = Hex.Bytes("00000040 FEFFFFFF 01000000 61");
        ProcessionalSerializer.Deserialize<string>(Hex.Bytes("FEFFFFFF0100000061"));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Deserialize<List<string>>(bytes));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, ex.Offset);
        Assert.Contains("1073741824 elements", ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not fit", ex.Message, StringComparison.Ordinal);
        Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated while rejecting a forged length");
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Lengths_are_checked_against_the_minimum_size_of_an_element()
    {
        // 4 ints announced, 12 bytes remain: each int takes 4 bytes, so 16 are needed.
        var ints = Rejects<int[]>("04000000 01000000 02000000 03000000");
        Assert.Contains("at least 4 bytes", ints.Message, StringComparison.Ordinal);

        // 3 strings announced, 8 bytes remain: each string takes at least its 4-byte header.
        Rejects<List<string>>("03000000 00000000 00000000");
        Rejects<Dictionary<int, long>>("02000000 01000000 0100000000000000");
        Rejects<HashSet<Guid>>("02000000 00000000000000000000000000000000");
        Rejects<ImmutableDictionary<string, string>>("01000000 FFFFFFFF");
        Rejects<BigInteger>("10000000 01");
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Truncated_input_reports_the_offset_where_it_ends()
    {
        var ex = Rejects<(int, string)>("01000000 FEFFFFFF 01000000");
        Assert.Equal(4, ex.Offset);
        Assert.Contains("does not fit", ex.Message, StringComparison.Ordinal);

        var shortInt = Rejects<long>("010203");
        Assert.Contains("Input ends too early", shortInt.Message, StringComparison.Ordinal);
        Rejects<Version>("04 01000000 02000000");
        Rejects<Person>("02 28000000");
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Deep_nesting_through_objects_hits_the_depth_limit_instead_of_the_stack()
    {
        // 100,000 nested nodes: header 2, value 0, then the next node.
        var bytes = string.Concat(Enumerable.Repeat("02 00000000 ", 100_000)) + "FF";
        var ex = Rejects<Node>(bytes);
        Assert.Contains("Nesting deeper than 500 levels", ex.Message, StringComparison.Ordinal);

        var shallow = Rejects<Node>(string.Concat(Enumerable.Repeat("02 00000000 ", 11)) + "FF", new ProcessionalSerializerOptions { MaxDepth = 10 });
        Assert.Contains("Nesting deeper than 10 levels", shallow.Message, StringComparison.Ordinal);

        // Nine nodes and the null that ends them are ten levels.
        Assert.NotNull(ProcessionalSerializer.Deserialize<Node>(Hex.Bytes(string.Concat(Enumerable.Repeat("02 00000000 ", 9)) + "FF"), new ProcessionalSerializerOptions { MaxDepth = 10 }));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Deep_nesting_through_collections_counts_against_the_depth_limit_too()
    {
        // Tree { Children = [ Tree { Children = [ ... ] } ] }: header 1, then a list of one, 100,000 times.
        var bytes = string.Concat(Enumerable.Repeat("01 01000000 ", 100_000)) + "FF";
        var ex = Rejects<Tree>(bytes);
        Assert.Contains("Nesting deeper than", ex.Message, StringComparison.Ordinal);

        // Each tree and each list is a level: 5 trees, 4 lists and the null list of the last are 10 levels.
        var options = new ProcessionalSerializerOptions { MaxDepth = 10 };
        var five = string.Concat(Enumerable.Repeat("01 01000000 ", 4)) + "01 FFFFFFFF";
        Assert.NotNull(ProcessionalSerializer.Deserialize<Tree>(Hex.Bytes(five), options));
        Rejects<Tree>("01 01000000 " + five, options);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task A_reference_cycle_is_reported_when_writing()
    {
        var node = new Node { Value = 1 };
        node.Next = node;
        var ex = Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Serialize(node));
        Assert.Contains("reference cycle", ex.Message, StringComparison.Ordinal);

        var tree = new Tree { Children = [] };
        tree.Children.Add(tree);
        Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Serialize(tree));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Multi_dimensional_arrays_check_their_dimensions_and_element_count()
    {
        // 65536 x 65536 elements would be 2^32: over any array's limit, whatever count follows.
        var product = Rejects<int[,]>("03 00000100 00000100 00000000");
        Assert.Contains("hold more than", product.Message, StringComparison.Ordinal);

        var mismatch = Rejects<int[,]>("03 02000000 03000000 05000000 " + string.Concat(Enumerable.Repeat("00000000", 5)));
        Assert.Contains("6 elements by its dimensions, but 5", mismatch.Message, StringComparison.Ordinal);

        Rejects<int[,]>("03 FFFFFFFF 01000000 00000000");
        Rejects<int[,]>("02 01000000 01000000");
        Rejects<int[,]>("03 01000000 01000000 FFFFFFFF");
        Rejects<string[,,]>("04 02000000 02000000 02000000 08000000 00000000");

        // A zero dimension makes an empty array however long the others claim to be, up to the longest an array can be.
        Assert.Empty(ProcessionalSerializer.Deserialize<int[,]>(Hex.Bytes("03 C7FFFF7F 00000000 00000000"))!);
        Rejects<int[,]>("03 FFFFFF7F 00000000 00000000");
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Configured_limits_are_enforced()
    {
        var options = new ProcessionalSerializerOptions { MaxCollectionLength = 2, MaxStringBytes = 3 };
        Assert.Equal([1, 2], ProcessionalSerializer.Deserialize<int[]>(ProcessionalSerializer.Serialize(new[] { 1, 2 }), options)!);
        var tooLong = Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Deserialize<int[]>(ProcessionalSerializer.Serialize(new[] { 1, 2, 3 }), options));
        Assert.Contains("over the limit of 2", tooLong.Message, StringComparison.Ordinal);

        var longString = Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Deserialize<string>(ProcessionalSerializer.Serialize("abcd"), options));
        Assert.Contains("over the limit of 3", longString.Message, StringComparison.Ordinal);
        Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Deserialize<Dictionary<int, int>>(ProcessionalSerializer.Serialize(new Dictionary<int, int> { [1] = 1, [2] = 2, [3] = 3 }), options));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Values_no_instance_of_the_type_can_hold_are_rejected()
    {
        Assert.Contains("flags", Rejects<decimal>("00001D00 00000000 0000000000000000").Message, StringComparison.Ordinal);
        Rejects<decimal>("01000000 00000000 0000000000000000");
        Assert.Contains("ticks", Rejects<DateTime>("FFFFFFFFFFFFFF3F").Message, StringComparison.Ordinal);
        Rejects<DateOnly>("FFFFFFFF");
        Rejects<TimeOnly>("00C0692AC9000000"); // exactly one day of ticks
        Assert.Contains("offset", Rejects<DateTimeOffset>("A0050000 00000000 0000000000000000").Message, StringComparison.Ordinal);
        Rejects<DateTimeOffset>("78000000 00000000 FF3F37F47528CA2B"); // DateTime.MaxValue in UTC, two hours ahead
        Assert.Contains("has-value byte is 2", Rejects<int?>("02000000 05000000").Message, StringComparison.Ordinal);
        Rejects<Version>("04 FFFFFFFF 00000000 00000000 00000000");
        Rejects<Version>("04 01000000 00000000 FFFFFFFF 01000000");
        Rejects<Version>("03 01000000 00000000 00000000");
        Assert.Contains("is not a URI", Rejects<Uri>(Hex.Of(ProcessionalSerializer.Serialize("http://[::1"))).Message, StringComparison.Ordinal);
        Rejects<Tuple<int, int>>("03 01000000 02000000 03000000");
        Rejects<(int, string)?>("02 01000000 FEFFFFFF0100000061");
        Rejects<string>("FDFFFFFF 05000000 6161");
        Rejects<Point>("FA");
        Rejects<IShape>("07 01 00000000");
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Null_and_duplicate_keys_are_rejected()
    {
        var duplicate = Rejects<Dictionary<int, int>>("02000000 01000000 02000000 01000000 03000000");
        Assert.Contains("same key", duplicate.Message, StringComparison.Ordinal);
        Assert.Equal(12, duplicate.Offset);
        Assert.Contains("is null", Rejects<Dictionary<string, int>>("01000000 FFFFFFFF 01000000").Message, StringComparison.Ordinal);
        Rejects<SortedDictionary<string, int>>("01000000 FFFFFFFF 01000000");
        Rejects<ImmutableDictionary<string, int>>("01000000 FFFFFFFF 01000000");
        Rejects<ImmutableSortedDictionary<int, int>>("02000000 01000000 02000000 01000000 03000000");
        Rejects<IReadOnlyDictionary<int, int>>("02000000 01000000 02000000 01000000 03000000");
        Rejects<HashSet<int>>("02000000 01000000 01000000");
        Rejects<ImmutableHashSet<string>>("02000000 00000000 00000000");
        Rejects<SortedSet<int>>("02000000 01000000 01000000");
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Trailing_bytes_after_the_value_are_rejected()
    {
        var ex = Rejects<List<int>>("01000000 05000000 00");
        Assert.Equal(8, ex.Offset);
        Assert.Contains("1 bytes follow the value", ex.Message, StringComparison.Ordinal);
        return Task.CompletedTask;
    }
}
