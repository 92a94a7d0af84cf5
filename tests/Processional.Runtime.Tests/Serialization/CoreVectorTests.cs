using System.Buffers;
using Processional.Serialization;

namespace Processional.Tests.Serialization;

/// <summary>The test vectors of the wire format that the core writer and reader cover on their own.</summary>
public sealed class CoreVectorTests
{
    private static readonly ProcessionalSerializerOptions s_utf16 = new() { StringEncoding = StringEncoding.Utf16 };

    [Theory(Timeout = TestTimeouts.Short)]
    [InlineData("abc", "FC FF FF FF 03 00 00 00 61 62 63")]
    [InlineData("", "00 00 00 00")]
    [InlineData(null, "FF FF FF FF")]
    public Task Utf8_strings_match_the_vectors(string? value, string hex)
    {
        var bytes = ProcessionalSerializer.Serialize(value);

        Assert.Equal(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), bytes);
        Assert.Equal(value, ProcessionalSerializer.Deserialize<string>(bytes));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Utf16_strings_match_the_vector_and_read_in_either_mode()
    {
        var bytes = ProcessionalSerializer.Serialize("abc", s_utf16);

        Assert.Equal(Convert.FromHexString("03000000610062006300"), bytes);
        Assert.Equal("abc", ProcessionalSerializer.Deserialize<string>(bytes));
        Assert.Equal("abc", ProcessionalSerializer.Deserialize<string>(bytes, s_utf16));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Primitives_are_their_raw_bytes()
    {
        Assert.Equal(Convert.FromHexString("01000000"), ProcessionalSerializer.Serialize(1));
        Assert.Equal(Convert.FromHexString("000000000000F03F"), ProcessionalSerializer.Serialize(1.0));
        Assert.Equal(1.0, ProcessionalSerializer.Deserialize<double>(Convert.FromHexString("000000000000F03F")));
        return Task.CompletedTask;
    }

    [Theory(Timeout = TestTimeouts.Short)]
    [InlineData(5L, "05")]
    [InlineData(-5L, "FB")]
    [InlineData(200L, "84 C8 00")]
    [InlineData(100000L, "82 A0 86 01 00")]
    [InlineData(-120L, "88")]
    [InlineData(-121L, "86 87")]
    [InlineData(long.MaxValue, "80 FF FF FF FF FF FF FF 7F")]
    public Task Varints_match_the_vectors(long value, string hex)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new ProcessionalWriter<ArrayBufferWriter<byte>>(ref buffer);
        writer.WriteVarInt(value);
        writer.Flush();

        Assert.Equal(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)), buffer.WrittenSpan.ToArray());
        var reader = new ProcessionalReader(buffer.WrittenSpan);
        Assert.Equal(value, reader.ReadVarIntInt64());
        Assert.Equal(0, reader.Remaining);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task The_non_generic_primitive_reads_and_writes_match_the_generic_ones_byte_for_byte()
    {
        var guid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");

        // Generic: the bytes every formatter writes.
        var generic = new ArrayBufferWriter<byte>();
        var writer = new ProcessionalWriter<ArrayBufferWriter<byte>>(ref generic);
        writer.WriteUnmanaged<byte>(0xAB);
        writer.WriteUnmanaged<bool>(true);
        writer.WriteUnmanaged<int>(-2);
        writer.WriteUnmanaged<uint>(0xDEADBEEF);
        writer.WriteUnmanaged<ulong>(0x0102030405060708);
        writer.WriteUnmanaged<Guid>(guid);
        writer.Flush();

        // Non-generic overloads, which calls with these types pick.
        var plain = new ArrayBufferWriter<byte>();
        var other = new ProcessionalWriter<ArrayBufferWriter<byte>>(ref plain);
        other.WriteUnmanaged((byte)0xAB);
        other.WriteUnmanaged(true);
        other.WriteUnmanaged(-2);
        other.WriteUnmanaged(0xDEADBEEFu);
        other.WriteUnmanaged(0x0102030405060708ul);
        other.WriteUnmanaged(guid);
        other.Flush();

        Assert.Equal(generic.WrittenSpan.ToArray(), plain.WrittenSpan.ToArray());

        // Read back from one segment and from segments of 1 to 5 bytes (every value then crosses a boundary).
        for (var segment = 0; segment <= 5; segment++)
        {
            var bytes = plain.WrittenSpan.ToArray();
            var reader = segment == 0 ? new ProcessionalReader(bytes) : new ProcessionalReader(SegmentedSequence.Split(bytes, segment));
            Assert.Equal(0xAB, reader.ReadByte());
            Assert.Equal(1, reader.ReadByte());
            Assert.Equal(-2, reader.ReadInt32());
            Assert.Equal(0xDEADBEEFu, reader.ReadUInt32());
            Assert.Equal(0x0102030405060708ul, reader.ReadUInt64());
            Assert.Equal(guid, reader.ReadGuid());
            Assert.Equal(0, reader.Remaining);
        }

        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task A_non_generic_read_past_the_end_fails_like_the_generic_one()
    {
        var bytes = new byte[] { 1, 2, 3 };

        var generic = Assert.Throws<ProcessionalSerializationException>(() => new ProcessionalReader(bytes).ReadUnmanaged<ulong>());
        var plain = Assert.Throws<ProcessionalSerializationException>(() => new ProcessionalReader(bytes).ReadUInt64());

        Assert.Equal(generic.Message, plain.Message);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Values_spanning_segments_read_like_contiguous_ones()
    {
        var bytes = ProcessionalSerializer.Serialize("a string long enough to span several segments");
        var sequence = SegmentedSequence.Split(bytes, 3);

        Assert.Equal("a string long enough to span several segments", ProcessionalSerializer.Deserialize<string>(sequence));
        Assert.Equal(123456789L, ProcessionalSerializer.Deserialize<long>(SegmentedSequence.Split(ProcessionalSerializer.Serialize(123456789L), 1)));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Truncated_and_trailing_input_is_rejected_with_the_offset()
    {
        var truncated = Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Deserialize<string>(Convert.FromHexString("FCFFFFFF0300000061")));
        var trailing = Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Deserialize<int>(Convert.FromHexString("0100000000")));
        var forged = Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Deserialize<string>(Convert.FromHexString("00FFFF7F")));

        Assert.Equal(0, truncated.Offset);
        Assert.Contains("does not fit", truncated.Message, StringComparison.Ordinal);
        Assert.Equal(4, trailing.Offset);
        Assert.Contains("1 bytes follow the value", trailing.Message, StringComparison.Ordinal);
        Assert.Equal(0, forged.Offset);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Invalid_utf8_is_rejected()
    {
        var ex = Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Deserialize<string>(Convert.FromHexString("FDFFFFFF02000000C328")));

        Assert.Contains("not valid UTF-8", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, ex.Offset);
        Assert.IsType<System.Text.DecoderFallbackException>(ex.InnerException);
        return Task.CompletedTask;
    }
}
