using System.Buffers;
using Processional.Serialization;

namespace Processional.Tests.Serialization;

/// <summary>The <see cref="ProcessionalSerializer"/> entry points: buffer writers, arrays, sequences and streams.</summary>
public sealed class SerializerFacadeTests
{
    public SerializerFacadeTests() => TestFormatters.Register();

    private static Customer SampleCustomer() =>
        new() { Id = 7, Name = "Ada Lovelace", Balance = 1234.5, Home = new Address { City = "London", Zip = 12345 }, Tags = ["vip", "early"] };

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Serializing_a_small_graph_into_a_reused_buffer_writer_allocates_nothing()
    {
        var customer = SampleCustomer();
        var buffer = new ArrayBufferWriter<byte>(1024);

        // The first call resolves formatters; after it the steady state must not touch the heap.
        ProcessionalSerializer.Serialize(buffer, customer);
        var expected = buffer.WrittenSpan.ToArray();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            buffer.ResetWrittenCount();
            ProcessionalSerializer.Serialize(buffer, customer);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(expected, buffer.WrittenSpan.ToArray());
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Serializing_collections_of_primitives_and_strings_into_a_reused_buffer_writer_allocates_nothing()
    {
        var list = Enumerable.Range(0, 100).Select(static i => "s" + i).ToList();
        var dictionary = Enumerable.Range(0, 100).ToDictionary(static i => i, static i => (double)i);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        ProcessionalSerializer.Serialize(buffer, list);
        ProcessionalSerializer.Serialize(buffer, dictionary);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            buffer.ResetWrittenCount();
            ProcessionalSerializer.Serialize(buffer, list);
            ProcessionalSerializer.Serialize(buffer, dictionary);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task The_buffer_writer_byte_array_and_sequence_overloads_agree()
    {
        var customer = SampleCustomer();
        var buffer = new ArrayBufferWriter<byte>();
        ProcessionalSerializer.Serialize(buffer, customer);
        var bytes = ProcessionalSerializer.Serialize(customer);

        Assert.Equal(bytes, buffer.WrittenSpan.ToArray());
        Assert.Equal("Ada Lovelace", ProcessionalSerializer.Deserialize<Customer>(bytes)!.Name);
        Assert.Equal("London", ProcessionalSerializer.Deserialize<Customer>(SegmentedSequence.Split(bytes, 5))!.Home!.City);

        // The ref overloads read one value from the start and say how many bytes it took.
        var two = bytes.Concat(ProcessionalSerializer.Serialize(42)).ToArray();
        Customer? first = null;
        var taken = ProcessionalSerializer.Deserialize(new ReadOnlySequence<byte>(two), ref first);
        Assert.Equal(bytes.Length, taken);
        Assert.Equal(42, ProcessionalSerializer.Deserialize<int>(two.AsSpan((int)taken)));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Streams_round_trip_small_and_large_values()
    {
        using var small = new MemoryStream();
        await ProcessionalSerializer.SerializeAsync(small, SampleCustomer());
        Assert.Equal(ProcessionalSerializer.Serialize(SampleCustomer()), small.ToArray());
        small.Position = 0;
        Assert.Equal("Ada Lovelace", (await ProcessionalSerializer.DeserializeAsync<Customer>(small))!.Name);

        // 3 MB spans many pooled segments on both sides.
        var large = Enumerable.Range(0, 750_000).Select(static i => (double)i).ToArray();
        using var stream = new MemoryStream();
        await ProcessionalSerializer.SerializeAsync(stream, large);
        Assert.Equal(4 + (large.Length * 8), stream.Length);
        stream.Position = 0;
        Assert.Equal(large, await ProcessionalSerializer.DeserializeAsync<double[]>(new TrickleStream(stream, 10_000)));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_stream_longer_than_the_limit_or_followed_by_more_bytes_is_rejected()
    {
        using var stream = new MemoryStream(ProcessionalSerializer.Serialize(new int[1000]));
        var tooLong = await Assert.ThrowsAsync<ProcessionalSerializationException>(
            async () => await ProcessionalSerializer.DeserializeAsync<int[]>(stream, new ProcessionalSerializerOptions { MaxStreamBytes = 1000 }));
        Assert.Contains("more than the 1000 bytes", tooLong.Message, StringComparison.Ordinal);

        using var trailing = new MemoryStream([1, 0, 0, 0, 9]);
        await Assert.ThrowsAsync<ProcessionalSerializationException>(async () => await ProcessionalSerializer.DeserializeAsync<int>(trailing));

        using var empty = new MemoryStream();
        await Assert.ThrowsAsync<ProcessionalSerializationException>(async () => await ProcessionalSerializer.DeserializeAsync<int>(empty));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Stream_reads_observe_cancellation()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        using var stream = new MemoryStream(ProcessionalSerializer.Serialize(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await ProcessionalSerializer.DeserializeAsync<int>(stream, cancellationToken: cancellation.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await ProcessionalSerializer.SerializeAsync(stream, 1, cancellationToken: cancellation.Token));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task A_type_without_a_formatter_is_reported_by_name()
    {
        // On purpose: the generator reports `object` at compile time (PROC108); this checks the runtime's own error.
#pragma warning disable PROC108
        var ex = Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Serialize(new object()));
#pragma warning restore PROC108
        Assert.Contains("No formatter is registered for type 'System.Object'", ex.Message, StringComparison.Ordinal);
        Assert.False(ProcessionalFormatterProvider.IsRegistered<Stream>());
        Assert.True(ProcessionalFormatterProvider.IsRegistered<Dictionary<string, List<int[]>>>());
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task A_formatter_may_serialize_to_an_array_while_an_array_is_being_serialized()
    {
        ProcessionalFormatterProvider.TryRegister(new EnvelopeFormatter());
        var envelope = new Envelope { Inner = SampleCustomer() };

        var bytes = ProcessionalSerializer.Serialize(envelope);

        var payload = ProcessionalSerializer.Deserialize<Envelope>(bytes)!.Payload;
        Assert.Equal(ProcessionalSerializer.Serialize(SampleCustomer()), payload);
        return Task.CompletedTask;
    }

    private sealed class Envelope
    {
        public Customer? Inner { get; init; }

        public byte[]? Payload { get; init; }
    }

    /// <summary>Writes its inner value as a nested byte array made with the byte[] overload, as an RPC envelope might.</summary>
    private sealed class EnvelopeFormatter : ProcessionalFormatter<Envelope>
    {
        public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Envelope? value)
        {
            writer.WriteObjectHeader(1);
            writer.WriteUnmanagedArray(ProcessionalSerializer.Serialize(value!.Inner));
        }

        public override void Deserialize(ref ProcessionalReader reader, scoped ref Envelope? value)
        {
            reader.TryReadObjectHeader(out _);
            value = new Envelope { Payload = reader.ReadUnmanagedArray<byte>() };
        }
    }

    /// <summary>Hands out at most a few bytes per read, as a socket would.</summary>
    private sealed class TrickleStream(Stream inner, int chunk) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
