using System.IO.Pipelines;
using System.Security.Cryptography;
using Processional.Multiplexing;
using Processional.Transport;
using static Processional.Tests.Multiplexing.ChannelIo;

namespace Processional.Tests.Multiplexing;

public sealed class MultiplexerTests
{
    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Rpc_channel_is_open_on_both_sides_and_carries_bytes_both_ways()
    {
        await using var pair = MultiplexerPair.Create();

        await pair.Client.RpcChannel.Output.WriteAsync("ping"u8.ToArray());
        Assert.Equal("ping"u8.ToArray(), await ReadExactlyAsync(pair.Server.RpcChannel.Input, 4));
        await pair.Server.RpcChannel.Output.WriteAsync("pong"u8.ToArray());
        Assert.Equal("pong"u8.ToArray(), await ReadExactlyAsync(pair.Client.RpcChannel.Input, 4));

        Assert.Equal(0u, pair.Client.RpcChannel.Id);
        Assert.Equal(0u, pair.Server.RpcChannel.Id);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Channels_opened_by_each_side_get_ids_that_never_collide()
    {
        await using var pair = MultiplexerPair.Create();

        var c1 = pair.Client.OpenChannel();
        var s1 = pair.Server.OpenChannel();
        var c2 = pair.Client.OpenChannel();
        var s2 = pair.Server.OpenChannel();

        Assert.Equal([1u, 3u], new[] { c1.Id, c2.Id });
        Assert.Equal([2u, 4u], new[] { s1.Id, s2.Id });
        Assert.Equal(c1.Id, (await pair.Server.AcceptChannelAsync()).Id);
        Assert.Equal(c2.Id, (await pair.Server.AcceptChannelAsync()).Id);
        Assert.Equal(s1.Id, (await pair.Client.AcceptChannelAsync()).Id);
        Assert.Equal(s2.Id, (await pair.Client.AcceptChannelAsync()).Id);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Many_channels_interleaved_in_both_directions_deliver_every_byte_intact()
    {
        await using var pair = MultiplexerPair.Create(new MultiplexerOptions { ChannelWindow = 64 * 1024, MaxFramePayload = 4096 });
        const int Channels = 24;
        var payloads = Enumerable.Range(0, Channels).Select(i => RandomBytes(200_000 + (i * 7919), seed: i)).ToArray();

        // Each channel carries its payload from client to server and a reversed copy back, all at once.
        var serverSide = Task.Run(async () =>
        {
            var work = new List<Task>();
            for (var i = 0; i < Channels; i++)
            {
                var channel = await pair.Server.AcceptChannelAsync();
                work.Add(Task.Run(async () =>
                {
                    var received = await ReadToEndAsync(channel.Input);
                    Array.Reverse(received);
                    await WriteAllAsync(channel.Output, received, chunk: 3000);
                }));
            }

            await Task.WhenAll(work);
        });

        var clientSide = Enumerable.Range(0, Channels).Select(i => Task.Run(async () =>
        {
            var channel = pair.Client.OpenChannel();
            var reading = HashToEndAsync(channel.Input);
            await WriteAllAsync(channel.Output, payloads[i], chunk: 1000 + i);
            var (hash, length) = await reading;
            var expected = (byte[])payloads[i].Clone();
            Array.Reverse(expected);
            Assert.Equal(expected.Length, length);
            Assert.Equal(SHA256.HashData(expected), hash);
            await channel.Completion;
        })).ToArray();

        await Task.WhenAll(clientSide);
        await serverSide;
        await WaitUntilAsync(() => pair.Client.ChannelCount == 1 && pair.Server.ChannelCount == 1, "closed channels leave both tables");
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_stalled_reader_stops_only_its_own_channel()
    {
        const int Window = 64 * 1024;
        await using var pair = MultiplexerPair.Create(new MultiplexerOptions { ChannelWindow = Window });
        var stalled = pair.Client.OpenChannel();
        var flowing = pair.Client.OpenChannel();
        var stalledRemote = await pair.Server.AcceptChannelAsync();
        var flowingRemote = await pair.Server.AcceptChannelAsync();

        // Nobody reads the stalled channel: its writer must block once a window is in flight.
        var stalledData = RandomBytes(4 * Window, seed: 1);
        var stalledWrite = WriteAllAsync(stalled.Output, stalledData, chunk: 8192);

        var flowingData = RandomBytes(32 * Window, seed: 2);
        var flowingRead = ReadToEndAsync(flowingRemote.Input);
        await WriteAllAsync(flowing.Output, flowingData, chunk: 8192);
        Assert.Equal(flowingData, await flowingRead);
        Assert.False(stalledWrite.IsCompleted, "the writer of the unread channel should wait for credit");

        // Reading the stalled channel releases it.
        Assert.Equal(stalledData, await ReadToEndAsync(stalledRemote.Input));
        await stalledWrite;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Half_close_from_the_client_lets_the_server_answer_then_close()
    {
        await using var pair = MultiplexerPair.Create();
        var channel = pair.Client.OpenChannel();
        var remote = await pair.Server.AcceptChannelAsync();

        await channel.Output.WriteAsync("question"u8.ToArray());
        await channel.Output.CompleteAsync();
        Assert.Equal("question"u8.ToArray(), await ReadToEndAsync(remote.Input));

        // The server's direction is still open after the client's End.
        await WriteAllAsync(remote.Output, "answer"u8.ToArray(), chunk: 2);
        Assert.Equal("answer"u8.ToArray(), await ReadToEndAsync(channel.Input));

        await channel.Completion;
        await remote.Completion;
        await WaitUntilAsync(() => pair.Client.ChannelCount == 1 && pair.Server.ChannelCount == 1, "closed channels leave both tables");
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Half_close_from_the_server_leaves_the_client_direction_open()
    {
        await using var pair = MultiplexerPair.Create();
        var channel = pair.Server.OpenChannel();
        var remote = await pair.Client.AcceptChannelAsync();

        await WriteAllAsync(channel.Output, "done"u8.ToArray(), chunk: 100);
        Assert.Equal("done"u8.ToArray(), await ReadToEndAsync(remote.Input));
        Assert.False(channel.Completion.IsCompleted);

        await WriteAllAsync(remote.Output, "late reply"u8.ToArray(), chunk: 3);
        Assert.Equal("late reply"u8.ToArray(), await ReadToEndAsync(channel.Input));
        await Task.WhenAll(channel.Completion, remote.Completion);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_half_closed_channel_still_accounts_its_window()
    {
        const int Window = 16 * 1024;
        await using var pair = MultiplexerPair.Create(new MultiplexerOptions { ChannelWindow = Window, MaxFramePayload = 4096 });
        var channel = pair.Client.OpenChannel();
        var remote = await pair.Server.AcceptChannelAsync();

        // The client closes its direction at once; the server then sends far more than one window the other way.
        await channel.Output.CompleteAsync();
        Assert.Empty(await ReadToEndAsync(remote.Input));
        var data = RandomBytes(40 * Window, seed: 3);
        var write = WriteAllAsync(remote.Output, data, chunk: 5000);
        Assert.Equal(data, await ReadToEndAsync(channel.Input));
        await write;
        await Task.WhenAll(channel.Completion, remote.Completion);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Reset_carries_its_message_to_the_peer_s_reads_and_writes()
    {
        await using var pair = MultiplexerPair.Create();
        var channel = pair.Client.OpenChannel();
        await channel.Output.WriteAsync(new byte[] { 1 });
        var remote = await pair.Server.AcceptChannelAsync();
        var pendingRead = ReadExactlyAsync(remote.Input, 1000);

        channel.Reset("the job was cancelled");

        var readError = await Assert.ThrowsAsync<ChannelResetException>(() => pendingRead);
        Assert.Contains("the job was cancelled", readError.Message, StringComparison.Ordinal);
        Assert.True(readError.ByPeer);
        var writeError = await Assert.ThrowsAsync<ChannelResetException>(async () => await remote.Output.WriteAsync(new byte[10]));
        Assert.Equal("the job was cancelled", writeError.Reason);
        var completionError = await Assert.ThrowsAsync<ChannelResetException>(() => remote.Completion);
        Assert.True(completionError.ByPeer);

        // This side's own reads and writes fail too, and the connection goes on.
        var localError = await Assert.ThrowsAsync<ChannelResetException>(async () => await channel.Input.ReadAsync());
        Assert.False(localError.ByPeer);
        await Assert.ThrowsAsync<ChannelResetException>(async () => await channel.Output.WriteAsync(new byte[1]));
        await pair.Client.RpcChannel.Output.WriteAsync("still here"u8.ToArray());
        Assert.Equal("still here"u8.ToArray(), await ReadExactlyAsync(pair.Server.RpcChannel.Input, 10));
        await WaitUntilAsync(() => pair.Client.ChannelCount == 1 && pair.Server.ChannelCount == 1, "reset channels leave both tables");
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Completing_the_writer_with_an_exception_resets_with_its_message()
    {
        await using var pair = MultiplexerPair.Create();
        var channel = pair.Client.OpenChannel();
        var remote = await pair.Server.AcceptChannelAsync();

        channel.Output.Complete(new InvalidOperationException("producer failed"));

        var error = await Assert.ThrowsAsync<ChannelResetException>(async () => await ReadToEndAsync(remote.Input));
        Assert.Equal("producer failed", error.Reason);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Disposing_a_channel_before_the_peer_finished_resets_it_and_the_peer_stops()
    {
        await using var pair = MultiplexerPair.Create(new MultiplexerOptions { ChannelWindow = 16 * 1024 });
        var channel = pair.Client.OpenChannel();
        await channel.Output.WriteAsync("request"u8.ToArray());
        var remote = await pair.Server.AcceptChannelAsync();
        Assert.Equal("request"u8.ToArray(), await ReadExactlyAsync(remote.Input, 7));

        // The server streams more than a window; the client gives up and disposes the channel.
        var streaming = WriteAllAsync(remote.Output, new byte[1 << 20], chunk: 4096);
        await channel.DisposeAsync();

        var error = await Assert.ThrowsAsync<ChannelResetException>(() => streaming);
        Assert.True(error.ByPeer);
        Assert.Empty(await ReadToEndAsync(remote.Input)); // the client's End arrived before its Reset: reading ends cleanly
        await WaitUntilAsync(() => pair.Client.ChannelCount == 1 && pair.Server.ChannelCount == 1, "the disposed channel leaves both tables");
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_reader_completed_early_discards_what_arrives_and_the_writer_finishes()
    {
        const int Window = 16 * 1024;
        await using var pair = MultiplexerPair.Create(new MultiplexerOptions { ChannelWindow = Window });
        var channel = pair.Client.OpenChannel();
        var remote = await pair.Server.AcceptChannelAsync();

        await remote.Input.CompleteAsync();
        await WriteAllAsync(channel.Output, new byte[10 * Window], chunk: 4096);
        await WriteAllAsync(remote.Output, ReadOnlyMemory<byte>.Empty, chunk: 1);
        Assert.Empty(await ReadToEndAsync(channel.Input));
        await Task.WhenAll(channel.Completion, remote.Completion);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Cancelling_a_flush_that_waits_for_credit_keeps_the_bytes_for_later()
    {
        const int Window = 4096;
        await using var pair = MultiplexerPair.Create(new MultiplexerOptions { ChannelWindow = Window, MaxFramePayload = 1024 });
        var channel = pair.Client.OpenChannel();
        var remote = await pair.Server.AcceptChannelAsync();
        var data = RandomBytes(3 * Window, seed: 4);

        // The token cancels the wait for credit; the PipeWriter contract keeps the unsent bytes buffered.
        using var cancel = new CancellationTokenSource();
        data.CopyTo(channel.Output.GetMemory(data.Length));
        channel.Output.Advance(data.Length);
        var flush = channel.Output.FlushAsync(cancel.Token).AsTask();
        await WaitUntilAsync(() => channel.Output.UnflushedBytes == 0 || !flush.IsCompleted, "the flush waits");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => flush);

        var reading = ReadToEndAsync(remote.Input);
        await channel.Output.FlushAsync();
        await channel.Output.CompleteAsync();
        Assert.Equal(data, await reading);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task CancelPendingFlush_returns_a_canceled_result_and_keeps_the_bytes()
    {
        const int Window = 4096;
        await using var pair = MultiplexerPair.Create(new MultiplexerOptions { ChannelWindow = Window, MaxFramePayload = 1024 });
        var channel = pair.Client.OpenChannel();
        var remote = await pair.Server.AcceptChannelAsync();
        var data = RandomBytes(2 * Window, seed: 5);

        var flush = channel.Output.WriteAsync(data).AsTask();
        channel.Output.CancelPendingFlush();
        var result = await flush;
        Assert.True(result.IsCanceled);

        var reading = ReadToEndAsync(remote.Input);
        await channel.Output.FlushAsync();
        await channel.Output.CompleteAsync();
        Assert.Equal(data, await reading);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Unflushed_bytes_are_sent_before_the_end_when_the_writer_completes()
    {
        await using var pair = MultiplexerPair.Create();
        var channel = pair.Client.OpenChannel();
        var remote = await pair.Server.AcceptChannelAsync();

        "tail"u8.CopyTo(channel.Output.GetSpan(4));
        channel.Output.Advance(4);
        channel.Output.Complete();

        Assert.Equal("tail"u8.ToArray(), await ReadToEndAsync(remote.Input));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Channels_beyond_the_peer_s_limit_are_reset_and_the_rest_work()
    {
        await using var pair = MultiplexerPair.Create(null, new MultiplexerOptions { MaxChannels = 3 });
        var accepted = pair.Client.OpenChannel();
        var alsoAccepted = pair.Client.OpenChannel();
        var refused = pair.Client.OpenChannel();

        var error = await Assert.ThrowsAsync<ChannelResetException>(async () => await refused.Input.ReadAsync());
        Assert.Contains("limit", error.Reason, StringComparison.Ordinal);

        await accepted.Output.WriteAsync(new byte[] { 7 });
        var remote = await pair.Server.AcceptChannelAsync();
        Assert.Equal(new byte[] { 7 }, await ReadExactlyAsync(remote.Input, 1));
        GC.KeepAlive(alsoAccepted);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Opening_more_channels_than_the_local_limit_throws()
    {
        await using var pair = MultiplexerPair.Create(new MultiplexerOptions { MaxChannels = 2 });
        pair.Client.OpenChannel();

        var error = Assert.Throws<InvalidOperationException>(() => pair.Client.OpenChannel());
        Assert.Contains("MaxChannels", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Header_and_payload_leave_in_one_transport_write()
    {
        var pipes = DuplexPipePair.Create();
        var recorder = new RecordingDuplex(pipes.Client);
        await using var client = Multiplexer.Start(recorder, ConnectionRole.Client);
        await using var server = Multiplexer.Start(pipes.Server, ConnectionRole.Server);
        await client.RpcChannel.Output.WriteAsync(new byte[1]); // waits for the server's Settings (credit), then sends
        Assert.Equal(new byte[1], await ReadExactlyAsync(server.RpcChannel.Input, 1));
        var before = recorder.Writes.Count;

        await client.RpcChannel.Output.WriteAsync(RandomBytes(1000, seed: 6));

        Assert.Equal(before + 1, recorder.Writes.Count);
        Assert.Equal(Frame.HeaderLength + 1000, recorder.Writes[^1]);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Disposal_fails_open_channels_here_with_ObjectDisposed_and_at_the_peer_with_ConnectionLost()
    {
        var pair = MultiplexerPair.Create();
        var channel = pair.Client.OpenChannel();
        var remote = await pair.Server.AcceptChannelAsync();
        var localRead = channel.Input.ReadAsync().AsTask();
        var remoteRead = remote.Input.ReadAsync().AsTask();
        var accept = pair.Client.AcceptChannelAsync().AsTask();

        await pair.Client.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => localRead);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => accept);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => channel.Completion);
        var lost = await Assert.ThrowsAsync<ConnectionLostException>(() => remoteRead);
        Assert.Contains("disposed", lost.Message, StringComparison.Ordinal);
        await pair.Client.Completion;
        await pair.Server.Completion; // an orderly close by the peer is not a fault
        Assert.Throws<ObjectDisposedException>(() => pair.Client.OpenChannel());
        await pair.Server.DisposeAsync();
        Assert.Equal(0, pair.Client.OutstandingBuffers);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task The_transport_ending_fails_every_waiting_reader_with_ConnectionLost()
    {
        var pipes = DuplexPipePair.Create();
        await using var server = Multiplexer.Start(pipes.Server, ConnectionRole.Server);
        await using var client = Multiplexer.Start(pipes.Client, ConnectionRole.Client);
        var channel = client.OpenChannel();
        var remote = await server.AcceptChannelAsync();
        var reads = new[] { remote.Input.ReadAsync().AsTask(), server.RpcChannel.Input.ReadAsync().AsTask() };

        // The client's bytes stop as if its process died: the server's input ends without a GoAway.
        await pipes.Client.Output.CompleteAsync();

        foreach (var read in reads)
        {
            await Assert.ThrowsAsync<ConnectionLostException>(() => read);
        }

        await Assert.ThrowsAsync<ConnectionLostException>(() => server.Completion);
        await Assert.ThrowsAsync<ConnectionLostException>(async () => await remote.Output.WriteAsync(new byte[1]));
        GC.KeepAlive(channel);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Disposal_does_not_hang_when_the_transport_read_ignores_cancellation()
    {
        var stuck = new StuckDuplex();
        var multiplexer = Multiplexer.Start(stuck, ConnectionRole.Client, new MultiplexerOptions { DisposeTimeout = TimeSpan.FromMilliseconds(200) });
        var channel = multiplexer.OpenChannel();
        var read = channel.Input.ReadAsync().AsTask();
        await stuck.ReadStarted.Task;

        await multiplexer.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => read);
        Assert.True(stuck.CancelRequested);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_heartbeat_detects_a_peer_that_went_silent()
    {
        var pipes = DuplexPipePair.Create();
        await using var multiplexer = Multiplexer.Start(
            pipes.Client,
            ConnectionRole.Client,
            new MultiplexerOptions { KeepAliveInterval = TimeSpan.FromMilliseconds(50), KeepAliveTimeout = TimeSpan.FromMilliseconds(300) });

        // The peer says hello (Settings) and then nothing, not even pongs.
        await pipes.Server.Output.WriteAsync(Convert.FromHexString("0108000000000000" + "00001000" + "00000100"));
        var read = multiplexer.RpcChannel.Input.ReadAsync().AsTask();

        var error = await Assert.ThrowsAsync<ConnectionLostException>(() => read);
        Assert.Contains("keep-alive", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ConnectionLostException>(() => multiplexer.Completion);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_heartbeat_keeps_an_idle_healthy_connection_alive()
    {
        var options = new MultiplexerOptions { KeepAliveInterval = TimeSpan.FromMilliseconds(50), KeepAliveTimeout = TimeSpan.FromMilliseconds(400) };
        await using var pair = MultiplexerPair.Create(options);

        // Idle for several timeouts: pongs keep each side convinced the other is alive.
        var idle = Task.Delay(1500);
        var ended = await Task.WhenAny(idle, pair.Client.Completion, pair.Server.Completion);
        Assert.True(ended == idle, ended.Exception?.ToString());
        await pair.Client.RpcChannel.Output.WriteAsync(new byte[] { 9 });
        Assert.Equal(new byte[] { 9 }, await ReadExactlyAsync(pair.Server.RpcChannel.Input, 1));
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>A transport that records the size of every write the multiplexer makes.</summary>
    internal sealed class RecordingDuplex(IDuplexPipe inner) : IDuplexPipe
    {
        private readonly RecordingWriter _writer = new(inner.Output);

        public List<int> Writes => _writer.Writes;

        public PipeReader Input => inner.Input;

        public PipeWriter Output => _writer;

        private sealed class RecordingWriter(PipeWriter inner) : PipeWriter
        {
            public List<int> Writes { get; } = [];

            public override void Advance(int bytes) => inner.Advance(bytes);

            public override void CancelPendingFlush() => inner.CancelPendingFlush();

            public override void Complete(Exception? exception = null) => inner.Complete(exception);

            public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

            public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

            public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

            public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
            {
                lock (Writes)
                {
                    Writes.Add(source.Length);
                }

                return inner.WriteAsync(source, cancellationToken);
            }
        }
    }

    /// <summary>A transport whose read never returns, even when cancelled: the worst case for disposal.</summary>
    private sealed class StuckDuplex : IDuplexPipe
    {
        private readonly StuckReader _reader;

        public StuckDuplex() => _reader = new StuckReader(this);

        public TaskCompletionSource ReadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool CancelRequested { get; private set; }

        public PipeReader Input => _reader;

        public PipeWriter Output { get; } = new Pipe().Writer;

        private sealed class StuckReader(StuckDuplex owner) : PipeReader
        {
            private readonly TaskCompletionSource<ReadResult> _never = new();

            public override void AdvanceTo(SequencePosition consumed)
            {
            }

            public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
            {
            }

            public override void CancelPendingRead() => owner.CancelRequested = true;

            public override void Complete(Exception? exception = null)
            {
            }

            public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
            {
                owner.ReadStarted.TrySetResult();
                return new ValueTask<ReadResult>(_never.Task);
            }

            public override bool TryRead(out ReadResult result)
            {
                result = default;
                return false;
            }
        }
    }
}
