using System.Collections.Immutable;
using System.Numerics;
using System.Runtime.CompilerServices;
using Processional.Serialization;

namespace Processional.Tests.Serialization;

/// <summary>
/// Byte-for-byte layouts of the built-in formatters, each checked against the layout read in MemoryPack's source (the
/// file is named on each test) and then read back.
/// </summary>
public sealed class LayoutTests
{
    public LayoutTests() => TestFormatters.Register();

    private static void AssertLayout<T>(T? value, string expectedHex)
    {
        var bytes = ProcessionalSerializer.Serialize(value);
        Assert.Equal(Hex.Normalize(expectedHex), Hex.Of(bytes));
        Assert.Equal(value, ProcessionalSerializer.Deserialize<T>(bytes));
    }

    // MemoryPack: src/MemoryPack.Core/MemoryPackFormatterProvider.WellknownTypes.tt (unmanaged types are raw bytes).
    [Fact(Timeout = TestTimeouts.Short)]
    public Task Primitives_are_raw_little_endian()
    {
        AssertLayout(true, "01");
        AssertLayout('A', "4100");
        AssertLayout((byte)5, "05");
        AssertLayout((sbyte)-1, "FF");
        AssertLayout((short)-2, "FEFF");
        AssertLayout((ushort)0x1234, "3412");
        AssertLayout(0x01020304u, "04030201");
        AssertLayout(1L, "0100000000000000");
        AssertLayout(ulong.MaxValue, "FFFFFFFFFFFFFFFF");
        AssertLayout(1.0f, "0000803F");
        AssertLayout((Half)1.0, "003C");
        AssertLayout((Int128)1, "01000000000000000000000000000000");
        AssertLayout(UInt128.MaxValue, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF");
        AssertLayout((nint)1, "0100000000000000");
        AssertLayout(Color.Green, "02");
        return Task.CompletedTask;
    }

    // MemoryPack: WellknownTypes.tt lists decimal, DateTime, TimeSpan, Guid, DateOnly, TimeOnly as unmanaged (raw).
    [Fact(Timeout = TestTimeouts.Short)]
    public Task Bcl_value_types_are_their_raw_structs()
    {
        // decimal: flags (scale 1 in bits 16-23), high 32 bits, low 64 bits.
        AssertLayout(1.5m, "00000100 00000000 0F00000000000000");
        AssertLayout(-1m, "00000080 00000000 0100000000000000");
        AssertLayout(new Guid("00112233-4455-6677-8899-aabbccddeeff"), "33221100 5544 7766 8899AABBCCDDEEFF");
        AssertLayout(TimeSpan.FromTicks(1), "0100000000000000");
        AssertLayout(new DateTime(1, DateTimeKind.Utc), "0100000000000040");
        AssertLayout(new DateTime(2, DateTimeKind.Local), "0200000000000080");
        AssertLayout(DateOnly.FromDayNumber(1), "01000000");
        AssertLayout(new TimeOnly(1), "0100000000000000");
        return Task.CompletedTask;
    }

    // MemoryPack copies DateTimeOffset raw (WellknownTypes.tt); on .NET 8+ the runtime lays it out as int offset minutes,
    // 4 bytes of padding, then the UTC DateTime.
    [Fact(Timeout = TestTimeouts.Short)]
    public Task DateTimeOffset_is_the_runtime_struct_with_zeroed_padding()
    {
        foreach (var value in new[]
                 {
                     new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
                     new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromMinutes(-570)),
                     DateTimeOffset.MinValue,
                     DateTimeOffset.MaxValue,
                 })
        {
            var bytes = ProcessionalSerializer.Serialize(value);
            var raw = new byte[16];
            Unsafe.WriteUnaligned(ref raw[0], value);
            raw.AsSpan(4, 4).Clear();

            Assert.Equal(Hex.Of(raw), Hex.Of(bytes));
            Assert.Equal(0, BitConverter.ToInt32(bytes, 4));
            Assert.Equal(value.UtcTicks, BitConverter.ToInt64(bytes, 8));
            var read = ProcessionalSerializer.Deserialize<DateTimeOffset>(bytes);
            Assert.Equal((value.UtcTicks, value.Offset), (read.UtcTicks, read.Offset));
        }

        return Task.CompletedTask;
    }

    // MemoryPack: src/MemoryPack.Core/Formatters/NullableFormatter.cs (raw Nullable<T> when T is unmanaged).
    [Fact(Timeout = TestTimeouts.Short)]
    public Task Nullable_of_unmanaged_is_the_raw_struct_with_zeroed_padding()
    {
        AssertLayout<int?>(5, "01000000 05000000");
        AssertLayout<int?>(null, "00000000 00000000");
        AssertLayout<long?>(-1, "0100000000000000 FFFFFFFFFFFFFFFF");
        AssertLayout<byte?>(7, "0107");
        AssertLayout<Color?>(Color.Red, "0101");
        AssertLayout<Guid?>(null, "00000000000000000000000000000000 00000000");
        return Task.CompletedTask;
    }

    // MemoryPack: src/MemoryPack.Core/Formatters/NullableFormatter.cs (object header 1 then the value, 255 for null).
    [Fact(Timeout = TestTimeouts.Short)]
    public Task Nullable_of_a_struct_with_references_has_an_object_header()
    {
        AssertLayout<(int, string)?>((1, "a"), "01 01000000 FEFFFFFF0100000061");
        AssertLayout<(int, string)?>(null, "FF");
        return Task.CompletedTask;
    }

    // MemoryPack: src/MemoryPack.Core/Formatters/KeyValuePairFormatter.cs (raw if unmanaged, else key then value).
    [Fact(Timeout = TestTimeouts.Short)]
    public Task KeyValuePair_is_raw_or_key_then_value()
    {
        AssertLayout(new KeyValuePair<int, int>(1, 2), "01000000 02000000");
        AssertLayout(new KeyValuePair<int, string>(1, "a"), "01000000 FEFFFFFF0100000061");
        return Task.CompletedTask;
    }

    // MemoryPack: src/MemoryPack.Core/Formatters/TupleFormatter.cs.
    [Fact(Timeout = TestTimeouts.Short)]
    public Task Tuples_are_headed_and_value_tuples_are_not()
    {
        AssertLayout((1, 2), "01000000 02000000");
        AssertLayout(Tuple.Create(1, "a"), "02 01000000 FEFFFFFF0100000061");
        AssertLayout<Tuple<int, string>>(null, "FF");
        AssertLayout(Tuple.Create("x"), "01 FEFFFFFF0100000078");

        // Eight elements: the eighth is the rest, itself a tuple with its own header.
        AssertLayout(
            new Tuple<int, int, int, int, int, int, int, Tuple<string>>(1, 2, 3, 4, 5, 6, 7, Tuple.Create("h")),
            "08 01000000 02000000 03000000 04000000 05000000 06000000 07000000 01 FEFFFFFF0100000068");
        AssertLayout(
            (1, 2, 3, 4, 5, 6, 7, "h"),
            "01000000 02000000 03000000 04000000 05000000 06000000 07000000 FEFFFFFF0100000068");
        return Task.CompletedTask;
    }

    // MemoryPack: src/MemoryPack.Core/Formatters/ArrayFormatters.cs and MemoryPackWriter.WriteArray.
    [Fact(Timeout = TestTimeouts.Short)]
    public Task Arrays_memories_and_segments_share_one_layout()
    {
        AssertLayout(new[] { "a", null }, "02000000 FEFFFFFF0100000061 FFFFFFFF");
        AssertLayout(new List<string?> { "a", null }, "02000000 FEFFFFFF0100000061 FFFFFFFF");
        AssertLayout<int[]>(null, "FFFFFFFF");
        AssertLayout(Array.Empty<int>(), "00000000");

        Assert.Equal("020000000100000002000000", Hex.Serialize(new Memory<int>([1, 2])));
        Assert.Equal("020000000100000002000000", Hex.Serialize(new ReadOnlyMemory<int>([1, 2])));
        Assert.Equal("020000000100000002000000", Hex.Serialize(new ArraySegment<int>([9, 1, 2, 9], 1, 2)));
        Assert.Equal("00000000", Hex.Serialize(default(Memory<int>)));
        Assert.Equal("00000000", Hex.Serialize(default(ArraySegment<int>)));
        Assert.Equal([1, 2], ProcessionalSerializer.Deserialize<Memory<int>>(Hex.Bytes("02000000 01000000 02000000")).ToArray());
        Assert.Equal([1, 2], ProcessionalSerializer.Deserialize<ArraySegment<int>>(Hex.Bytes("02000000 01000000 02000000")).ToArray());
        Assert.True(ProcessionalSerializer.Deserialize<ReadOnlyMemory<int>>(Hex.Bytes("FFFFFFFF")).IsEmpty);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Arrays_of_unmanaged_user_structs_are_one_block_of_raw_structs()
    {
        var pixels = new[] { new Pixel { R = 1, G = 2, B = 3, Tag = 4 }, new Pixel { R = 5, G = 6, B = 7, Tag = 8 } };
        var bytes = ProcessionalSerializer.Serialize(pixels);

        Assert.Equal(4 + (2 * Unsafe.SizeOf<Pixel>()), bytes.Length);
        Assert.Equal(2, BitConverter.ToInt32(bytes, 0));
        Assert.Equal(pixels, ProcessionalSerializer.Deserialize<Pixel[]>(bytes));
        Assert.Equal(pixels, ProcessionalSerializer.Deserialize<List<Pixel>>(bytes));
        return Task.CompletedTask;
    }

    // MemoryPack: src/MemoryPack.Core/Formatters/MultiDimensionalArrayFormatters.cs ({rank+1, lengths..., [count, values]}).
    [Fact(Timeout = TestTimeouts.Short)]
    public Task Multi_dimensional_arrays_are_header_lengths_then_elements_in_row_major_order()
    {
        AssertLayout(
            new[,] { { 1, 2, 3 }, { 4, 5, 6 } },
            "03 02000000 03000000 06000000 01000000 02000000 03000000 04000000 05000000 06000000");
        AssertLayout(new[,] { { "a" }, { null } }, "03 02000000 01000000 02000000 FEFFFFFF0100000061 FFFFFFFF");
        AssertLayout(new byte[1, 2, 1] { { { 1 }, { 2 } } }, "04 01000000 02000000 01000000 02000000 0102");
        AssertLayout(new int[1, 1, 1, 1] { { { { 9 } } } }, "05 01000000 01000000 01000000 01000000 01000000 09000000");
        AssertLayout<int[,]>(null, "FF");
        AssertLayout(new int[0, 3], "03 00000000 03000000 00000000");
        return Task.CompletedTask;
    }

    // MemoryPack: src/MemoryPack.Core/Formatters/CollectionFormatters.cs.
    [Fact(Timeout = TestTimeouts.Short)]
    public Task Dictionaries_sets_and_queues_are_counts_then_elements()
    {
        AssertLayout(new Dictionary<string, int> { ["a"] = 1 }, "01000000 FEFFFFFF0100000061 01000000");
        AssertLayout<Dictionary<string, int>>(null, "FFFFFFFF");
        AssertLayout(new SortedDictionary<int, string> { [2] = "b", [1] = "a" }, "02000000 01000000 FEFFFFFF0100000061 02000000 FEFFFFFF0100000062");
        Assert.Equal("0100000007000000", Hex.Serialize(new HashSet<int> { 7 }));
        Assert.Equal("020000000100000002000000", Hex.Serialize(new SortedSet<int> { 2, 1 }));

        var queue = new Queue<int>();
        queue.Enqueue(1);
        queue.Enqueue(2);
        queue.Enqueue(3);
        AssertLayout(queue, "03000000 01000000 02000000 03000000");
        return Task.CompletedTask;
    }

    // MemoryPack: CollectionFormatters.cs writes a Stack<T>'s internal array, bottom first.
    [Fact(Timeout = TestTimeouts.Short)]
    public Task Stacks_are_written_bottom_first_and_read_back_in_the_same_order()
    {
        var stack = new Stack<int>();
        stack.Push(1);
        stack.Push(2);
        stack.Push(3);
        Assert.Equal("03000000010000000200000003000000", Hex.Serialize(stack));
        Assert.Equal([3, 2, 1], ProcessionalSerializer.Deserialize<Stack<int>>(ProcessionalSerializer.Serialize(stack))!.ToArray());

        var strings = new Stack<string>(["bottom", "top"]);
        Assert.Equal(["top", "bottom"], ProcessionalSerializer.Deserialize<Stack<string>>(ProcessionalSerializer.Serialize(strings))!.ToArray());

        var immutable = ImmutableStack.Create(1, 2, 3);
        Assert.Equal("03000000010000000200000003000000", Hex.Serialize(immutable));
        Assert.Equal([3, 2, 1], ProcessionalSerializer.Deserialize<ImmutableStack<int>>(ProcessionalSerializer.Serialize(immutable))!.ToArray());
        return Task.CompletedTask;
    }

    // MemoryPack: src/MemoryPack.Core/Formatters/ImmutableCollectionFormatters.cs.
    [Fact(Timeout = TestTimeouts.Short)]
    public Task Immutable_collections_share_the_mutable_layouts()
    {
        Assert.Equal("020000000100000002000000", Hex.Serialize(ImmutableArray.Create(1, 2)));
        Assert.Equal("FFFFFFFF", Hex.Serialize(default(ImmutableArray<int>)));
        Assert.True(ProcessionalSerializer.Deserialize<ImmutableArray<int>>(Hex.Bytes("FFFFFFFF")).IsDefault);
        Assert.Equal("020000000100000002000000", Hex.Serialize(ImmutableList.Create(1, 2)));
        Assert.Equal("020000000100000002000000", Hex.Serialize(ImmutableQueue.Create(1, 2)));
        Assert.Equal("020000000100000002000000", Hex.Serialize(ImmutableSortedSet.Create(2, 1)));
        Assert.Equal("0100000007000000", Hex.Serialize(ImmutableHashSet.Create(7)));
        Assert.Equal("010000000100000002000000", Hex.Serialize(ImmutableDictionary<int, int>.Empty.Add(1, 2)));
        Assert.Equal("010000000100000002000000", Hex.Serialize(ImmutableSortedDictionary<int, int>.Empty.Add(1, 2)));
        Assert.Equal("FFFFFFFF", Hex.Serialize<ImmutableList<int>>(null));
        return Task.CompletedTask;
    }

    // MemoryPack: src/MemoryPack.Core/Formatters/InterfaceCollectionFormatters.cs (written as collections).
    [Fact(Timeout = TestTimeouts.Short)]
    public Task Collection_interfaces_are_written_as_collections_and_read_as_lists_dictionaries_and_sets()
    {
        Assert.Equal("020000000100000002000000", Hex.Serialize<IList<int>>(new[] { 1, 2 }));
        Assert.Equal("020000000100000002000000", Hex.Serialize<IReadOnlyList<int>>(new List<int> { 1, 2 }));
        Assert.Equal("020000000100000002000000", Hex.Serialize<ICollection<int>>(new LinkedList<int>([1, 2])));
        Assert.Equal("020000000100000002000000", Hex.Serialize<IReadOnlyCollection<int>>(ImmutableList.Create(1, 2)));
        Assert.Equal("020000000100000002000000", Hex.Serialize(Enumerable.Range(1, 2).Where(static x => x > 0)));
        Assert.Equal("0100000007000000", Hex.Serialize<ISet<int>>(new HashSet<int> { 7 }));
        Assert.Equal("0100000007000000", Hex.Serialize<IReadOnlySet<int>>(new SortedSet<int> { 7 }));
        Assert.Equal("010000000100000002000000", Hex.Serialize<IDictionary<int, int>>(new SortedDictionary<int, int> { [1] = 2 }));
        Assert.Equal("010000000100000002000000", Hex.Serialize<IReadOnlyDictionary<int, int>>(new Dictionary<int, int> { [1] = 2 }));

        var bytes = Hex.Bytes("02000000 01000000 02000000");
        Assert.IsType<List<int>>(ProcessionalSerializer.Deserialize<IList<int>>(bytes));
        Assert.IsType<List<int>>(ProcessionalSerializer.Deserialize<IReadOnlyList<int>>(bytes));
        Assert.IsType<List<int>>(ProcessionalSerializer.Deserialize<ICollection<int>>(bytes));
        Assert.IsType<List<int>>(ProcessionalSerializer.Deserialize<IReadOnlyCollection<int>>(bytes));
        Assert.IsType<List<int>>(ProcessionalSerializer.Deserialize<IEnumerable<int>>(bytes));
        Assert.IsType<HashSet<int>>(ProcessionalSerializer.Deserialize<ISet<int>>(bytes));
        Assert.IsType<HashSet<int>>(ProcessionalSerializer.Deserialize<IReadOnlySet<int>>(bytes));
        Assert.IsType<Dictionary<int, int>>(ProcessionalSerializer.Deserialize<IDictionary<int, int>>(Hex.Bytes("01000000 01000000 02000000")));
        Assert.IsType<Dictionary<int, int>>(ProcessionalSerializer.Deserialize<IReadOnlyDictionary<int, int>>(Hex.Bytes("01000000 01000000 02000000")));
        return Task.CompletedTask;
    }

    // MemoryPack: src/MemoryPack.Core/Formatters/BigIntegerFormatter.cs (byte count, then ToByteArray's bytes).
    [Fact(Timeout = TestTimeouts.Short)]
    public Task BigInteger_is_a_collection_of_its_twos_complement_bytes()
    {
        AssertLayout(BigInteger.Zero, "01000000 00");
        AssertLayout(new BigInteger(256), "02000000 0001");
        AssertLayout(BigInteger.MinusOne, "01000000 FF");
        AssertLayout(new BigInteger(128), "02000000 8000");
        Assert.Equal(BigInteger.Zero, ProcessionalSerializer.Deserialize<BigInteger>(Hex.Bytes("FFFFFFFF")));
        Assert.Equal(BigInteger.Zero, ProcessionalSerializer.Deserialize<BigInteger>(Hex.Bytes("00000000")));
        return Task.CompletedTask;
    }

    // MemoryPack: src/MemoryPack.Core/Formatters/UriFormatter.cs (OriginalString) and VersionFormatter.cs (header 4, four ints).
    [Fact(Timeout = TestTimeouts.Short)]
    public Task Uri_is_its_original_string_and_version_its_four_components()
    {
        AssertLayout(new Uri("http://a/"), "F6FFFFFF 09000000 687474703A2F2F612F");
        AssertLayout(new Uri("b/c", UriKind.Relative), "FCFFFFFF 03000000 622F63");
        AssertLayout<Uri>(null, "FFFFFFFF");
        AssertLayout(new Version(1, 2, 3, 4), "04 01000000 02000000 03000000 04000000");
        AssertLayout(new Version(1, 2), "04 01000000 02000000 FFFFFFFF FFFFFFFF");
        AssertLayout(new Version(1, 2, 3), "04 01000000 02000000 03000000 FFFFFFFF");
        AssertLayout<Version>(null, "FF");
        return Task.CompletedTask;
    }
}
