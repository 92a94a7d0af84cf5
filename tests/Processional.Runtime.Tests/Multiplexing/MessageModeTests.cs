using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using Processional.Multiplexing;
using Processional.Serialization;
using Processional.Tests.Transport;
using Processional.Transport;
using static Processional.Tests.Multiplexing.ChannelIo;

namespace Processional.Tests.Multiplexing;

/// <summary>Channel 0 in message mode: messages whole and in order, parts, limits, handler failures, floods.</summary>
public sealed class MessageModeTests
{
    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Messages_arrive_whole_and_in_order_including_empty_ones()
    {
        var received = new Collector(1000);
        await using var pair = MessagePair.Create(_ => new Collector(0), _ => received);
        var sent = Enumerable.Range(0, 1000).Select(i => RandomBytes(i % 7 == 0 ? 0 : (i * 37) % 3000, seed: i)).ToArray();

        foreach (var message in sent)
        {
            pair.Client.SendMessage(message);
        }

        await received.All;
        Assert.Equal(sent.Length, received.Messages.Count);
        for (var i = 0; i < sent.Length; i++)
        {
            Assert.Equal(sent[i], received.Messages[i]);
        }
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_message_larger_than_a_frame_is_sent_in_parts_and_arrives_whole()
    {
        var options = new MultiplexerOptions { MaxFramePayload = 1024 };
        var received = new Collector(3);
        await using var pair = MessagePair.Create(_ => new Collector(0), _ => received, options);
        var whole = RandomBytes(100_000, seed: 1);
        var inPlaceSmall = RandomBytes(50_000, seed: 2);
        var inPlaceLarge = RandomBytes(70_000, seed: 3);

        pair.Client.SendMessage(whole);

        // In place, in pieces that cross frame boundaries at odd places.
        using (var writer = pair.Client.BeginMessage())
        {
            for (var offset = 0; offset < inPlaceSmall.Length; offset += 333)
            {
                var piece = inPlaceSmall.AsSpan(offset, Math.Min(333, inPlaceSmall.Length - offset));
                piece.CopyTo(writer.GetSpan(piece.Length));
                writer.Advance(piece.Length);
            }

            Assert.Equal(inPlaceSmall.Length, writer.WrittenCount);
            writer.Send();
        }

        // In place, asking for more room than a frame holds: the writer cuts it into parts afterwards.
        using (var writer = pair.Client.BeginMessage())
        {
            inPlaceLarge.CopyTo(writer.GetSpan(inPlaceLarge.Length));
            writer.Advance(inPlaceLarge.Length);
            writer.Send();
        }

        await received.All;
        Assert.Equal(whole, received.Messages[0]);
        Assert.Equal(inPlaceSmall, received.Messages[1]);
        Assert.Equal(inPlaceLarge, received.Messages[2]);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_message_written_in_place_and_disposed_unsent_is_dropped()
    {
        var received = new Collector(1);
        await using var pair = MessagePair.Create(_ => new Collector(0), _ => received);

        using (var writer = pair.Client.BeginMessage())
        {
            "dropped"u8.CopyTo(writer.GetSpan(7));
            writer.Advance(7);
        }

        using (var writer = pair.Client.BeginMessage())
        {
            "sent"u8.CopyTo(writer.GetSpan(4));
            writer.Advance(4);
            writer.Send();
            Assert.Throws<InvalidOperationException>(() => writer.GetSpan(1));
        }

        await received.All;
        Assert.Equal("sent"u8.ToArray(), Assert.Single(received.Messages));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_thread_cannot_begin_a_second_message_before_sending_the_first()
    {
        await using var pair = MessagePair.Create(_ => new Collector(0), _ => new Collector(0));

        using var writer = pair.Client.BeginMessage();
        var error = Assert.Throws<InvalidOperationException>(() => pair.Client.BeginMessage());

        Assert.Contains("already being written", error.Message, StringComparison.Ordinal);
        writer.Send();
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task The_serializer_writes_straight_into_a_message()
    {
        var received = new Collector(1);
        await using var pair = MessagePair.Create(_ => new Collector(0), _ => received);
        var value = string.Concat(Enumerable.Range(0, 30_000).Select(i => $"{i}é"));

        // Over 100 KB: the serializer asks for room for the whole string at once, more than a frame holds; the message
        // goes out in parts.
        using (var writer = pair.Client.BeginMessage())
        {
            ProcessionalSerializer.Serialize(writer, value);
            writer.Send();
        }

        await received.All;
        Assert.Equal(value, ProcessionalSerializer.Deserialize<string>(received.Messages[0]));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_handler_that_throws_closes_the_connection_with_a_clear_error_on_both_sides()
    {
        await using var pair = MessagePair.Create(_ => new Collector(0), _ => new Throwing());

        pair.Client.SendMessage("boom"u8);

        var error = await Assert.ThrowsAsync<ConnectionLostException>(() => pair.Server.Completion);
        Assert.Contains("message handler threw InvalidOperationException: no thanks", error.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(error.InnerException);
        var peer = await Assert.ThrowsAsync<ConnectionLostException>(() => pair.Client.Completion);
        Assert.Contains("message handler failed (InvalidOperationException: no thanks)", peer.Message, StringComparison.Ordinal);
        Assert.Throws<ConnectionLostException>(() => pair.Client.SendMessage("more"u8));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_message_to_a_side_without_a_handler_breaks_the_protocol()
    {
        var pipes = DuplexPipePair.Create();
        await using var client = Multiplexer.Start(pipes.Client, ConnectionRole.Client, _ => new Collector(0));
        await using var server = Multiplexer.Start(pipes.Server, ConnectionRole.Server);

        client.SendMessage("hello"u8);

        var error = await Assert.ThrowsAsync<ProtocolException>(() => server.Completion);
        Assert.Contains("Message frame, but this side takes no messages", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_message_over_the_receiver_s_limit_breaks_the_protocol_and_leaks_nothing()
    {
        var pipes = DuplexPipePair.Create();
        var client = Multiplexer.Start(pipes.Client, ConnectionRole.Client, _ => new Collector(0), new MultiplexerOptions { MaxFramePayload = 1024 });
        var server = Multiplexer.Start(pipes.Server, ConnectionRole.Server, _ => new Collector(0), new MultiplexerOptions { MaxMessageLength = 4096, MaxFramePayload = 1024 });

        client.SendMessage(new byte[4096]);
        client.SendMessage(new byte[4097]);

        var error = await Assert.ThrowsAsync<ProtocolException>(() => server.Completion);
        Assert.Contains("a message of more than 4096 bytes", error.Message, StringComparison.Ordinal);
        await client.DisposeAsync();
        await server.DisposeAsync();
        Assert.Equal(0, server.OutstandingBuffers);
        Assert.Equal(0, client.OutstandingBuffers);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task The_documented_message_frames_carry_messages_both_ways()
    {
        var received = new Collector(2);
        var pipes = DuplexPipePair.Create(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        await using var multiplexer = Multiplexer.Start(pipes.Server, ConnectionRole.Server, _ => received);
        var peer = pipes.Client;
        await peer.Output.WriteAsync(Convert.FromHexString(RawPeer.DefaultSettings + "0A02000000000000" + "6869" + "0B03000000000000" + "616263" + "0A02000000000000" + "6465"));

        await received.All;
        Assert.Equal("hi"u8.ToArray(), received.Messages[0]);
        Assert.Equal("abcde"u8.ToArray(), received.Messages[1]);

        multiplexer.SendMessage("ok"u8);
        Assert.Equal(RawPeer.DefaultSettings, await ReceiveFrameAsync(peer.Input));
        Assert.Equal("0A02000000000000" + "6F6B", await ReceiveFrameAsync(peer.Input));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Replies_a_handler_sends_while_a_batch_is_read_leave_in_one_write()
    {
        var pipes = DuplexPipePair.Create(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        var recorder = new MultiplexerTests.RecordingDuplex(pipes.Server);
        await using var server = Multiplexer.Start(recorder, ConnectionRole.Server, m => new Echo(m));
        var peer = pipes.Client;
        Assert.Equal(RawPeer.DefaultSettings, await ReceiveFrameAsync(peer.Input));
        var before = recorder.Writes.Count;

        // Fifty requests in one write reach the server as one batch; its fifty replies go out together.
        var requests = new ArrayBufferWriter<byte>();
        requests.Write(Convert.FromHexString(RawPeer.DefaultSettings));
        for (var i = 0; i < 50; i++)
        {
            requests.Write(Convert.FromHexString("0A04000000000000"));
            requests.Write(BitConverter.GetBytes(i));
        }

        await peer.Output.WriteAsync(requests.WrittenMemory);

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("0A04000000000000" + Convert.ToHexString(BitConverter.GetBytes(i)), await ReceiveFrameAsync(peer.Input));
        }

        Assert.Equal(before + 1, recorder.Writes.Count);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Over_a_socket_the_handler_runs_on_the_receiving_thread()
    {
        using var dir = new TempSocketDirectory();
        await using var listener = await ConnectionListener.ListenAsync(Endpoint.Unix(dir.File("s.sock")));
        var threads = new Collector(2, recordThread: true);
        await using var client = Multiplexer.Start(await Connection.ConnectAsync(listener.LocalEndpoint), _ => new Collector(0));
        await using var server = Multiplexer.Start(await listener.AcceptAsync(), _ => threads);

        // Bytes that arrived before Start are read by the loop's first read, on the thread that started it; once the
        // loop waits for more, everything is handled where it arrives.
        client.SendMessage("first"u8);
        await MultiplexerTests.WaitUntilAsync(() => threads.Messages.Count == 1, "the first message arrived");
        client.SendMessage("where"u8);

        await threads.All;
        Assert.Equal("Processional receiver", threads.Threads[1]);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Messages_that_arrived_before_the_multiplexer_took_over_are_handled_by_it_first_then_on_the_receiving_thread()
    {
        using var dir = new TempSocketDirectory();
        await using var listener = await ConnectionListener.ListenAsync(Endpoint.Unix(dir.File("s.sock")));
        var connecting = Connection.ConnectAsync(listener.LocalEndpoint);
        var accepted = await listener.AcceptAsync();
        await using var client = Multiplexer.Start(await connecting, _ => new Collector(0));
        client.SendMessage("one"u8);
        client.SendMessage("two"u8);

        // Wait (peeking, consuming nothing) until the client's settings and both messages sit in the server's input.
        var input = accepted.Transport.Input;
        await MultiplexerTests.WaitUntilAsync(() =>
        {
            var seen = input.TryRead(out var peek) ? peek.Buffer.Length : 0;
            if (seen > 0)
            {
                input.AdvanceTo(peek.Buffer.Start);
            }

            return seen >= Frame.HeaderLength + Frame.SettingsLength + (2 * (Frame.HeaderLength + 3));
        }, "the bytes arrived before the server's multiplexer started");

        var handled = new Collector(3, recordThread: true);
        await using var server = Multiplexer.Start(accepted, _ => handled);

        // Both were read by the multiplexer's first look at its input, on the thread that started it (this one, not the
        // receiving thread); what comes next is read where it arrives.
        Assert.Equal(["one"u8.ToArray(), "two"u8.ToArray()], handled.Messages);
        Assert.All(handled.Threads, name => Assert.NotEqual("Processional receiver", name));
        client.SendMessage("three"u8);
        await handled.All;
        Assert.Equal("Processional receiver", handled.Threads[2]);
    }

    [Theory(Timeout = TestTimeouts.Long)]
    [InlineData(true)]
    [InlineData(false)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Two_peers_flooding_each_other_with_large_messages_do_not_deadlock(bool dedicatedThreads)
    {
        // Each side sends requests from a thread of its own and answers every request of the other with a large
        // reply, inline in its handler. Both sockets fill up in both directions at once: a reading thread that blocked
        // in a send would stop reading, and the two would wait on each other for ever.
        const int Requests = 300;
        const int ReplySize = 256 * 1024;
        var options = new ConnectionOptions { DedicatedThreads = dedicatedThreads };
        using var dir = new TempSocketDirectory();
        await using var listener = await ConnectionListener.ListenAsync(Endpoint.Unix(dir.File("s.sock")), options);
        var clientSide = new Flood(Requests, ReplySize);
        var serverSide = new Flood(Requests, ReplySize);
        var connecting = Connection.ConnectAsync(listener.LocalEndpoint, options);
        await using var server = Multiplexer.Start(await listener.AcceptAsync(), m => serverSide.Attach(m));
        await using var client = Multiplexer.Start(await connecting, m => clientSide.Attach(m));

        var sending = new[] { Task.Run(() => clientSide.SendRequests()), Task.Run(() => serverSide.SendRequests()) };
        await Task.WhenAll(sending);
        await Task.WhenAll(clientSide.AllReplies, serverSide.AllReplies);

        Assert.Equal(Requests, clientSide.RequestsAnswered);
        Assert.Equal(Requests, serverSide.RequestsAnswered);
        if (dedicatedThreads)
        {
            // The test only proves something if the sockets really filled up: the sending threads were needed.
            Assert.True(((SocketTransport)client.Connection!.Transport).HasSendingThread, "the client's socket never filled up");
            Assert.True(((SocketTransport)server.Connection!.Transport).HasSendingThread, "the server's socket never filled up");
        }
    }

    private static async Task<string> ReceiveFrameAsync(PipeReader input)
    {
        var header = await ReadExactlyAsync(input, 8);
        var length = header[1] | (header[2] << 8) | (header[3] << 16);
        var payload = length == 0 ? [] : await ReadExactlyAsync(input, length);
        return Convert.ToHexString(header) + Convert.ToHexString(payload);
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => MultiplexerTests.WaitUntilAsync(condition, what);

    /// <summary>Two multiplexers in message mode over an in-memory pipe pair.</summary>
    private sealed class MessagePair : IAsyncDisposable
    {
        private MessagePair(Multiplexer client, Multiplexer server)
        {
            Client = client;
            Server = server;
        }

        public Multiplexer Client { get; }

        public Multiplexer Server { get; }

        public static MessagePair Create(Func<Multiplexer, IMessageHandler> client, Func<Multiplexer, IMessageHandler> server, MultiplexerOptions? options = null)
        {
            var pipes = DuplexPipePair.Create();
            return new MessagePair(
                Multiplexer.Start(pipes.Client, ConnectionRole.Client, client, options),
                Multiplexer.Start(pipes.Server, ConnectionRole.Server, server, options));
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    /// <summary>Keeps a copy of every message, and the receiving thread's name if asked.</summary>
    private sealed class Collector(int expected, bool recordThread = false) : IMessageHandler
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<byte[]> Messages { get; } = [];

        public List<string?> Threads { get; } = [];

        public Task All => expected == 0 ? Task.CompletedTask : _all.Task;

        public void OnMessage(ReadOnlySequence<byte> message)
        {
            Messages.Add(message.ToArray());
            if (recordThread)
            {
                Threads.Add(Thread.CurrentThread.Name);
            }

            if (Messages.Count == expected)
            {
                _all.TrySetResult();
            }
        }
    }

    private sealed class Throwing : IMessageHandler
    {
        public void OnMessage(ReadOnlySequence<byte> message) => throw new InvalidOperationException("no thanks");
    }

    private sealed class Echo(Multiplexer multiplexer) : IMessageHandler
    {
        public void OnMessage(ReadOnlySequence<byte> message) => multiplexer.SendMessage(message.ToArray());
    }

    /// <summary>
    /// One side of the flood: its handler answers each request (a 1-byte tag 'Q' and an index) with a large reply
    /// (tag 'R', the index, then bytes derived from it), and counts the replies to its own requests, checking them.
    /// </summary>
    private sealed class Flood(int requests, int replySize) : IMessageHandler
    {
        private readonly TaskCompletionSource _allReplies = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Multiplexer _multiplexer = null!;
        private int _replies;
        private int _answered;

        public Task AllReplies => _allReplies.Task;

        public int RequestsAnswered => Volatile.Read(ref _answered);

        public Flood Attach(Multiplexer multiplexer)
        {
            _multiplexer = multiplexer;
            return this;
        }

        public void SendRequests()
        {
            var request = new byte[5 + 10_000];
            request[0] = (byte)'Q';
            for (var i = 0; i < requests; i++)
            {
                BitConverter.TryWriteBytes(request.AsSpan(1), i);
                _multiplexer.SendMessage(request);
            }
        }

        public void OnMessage(ReadOnlySequence<byte> message)
        {
            var bytes = message.ToArray();
            var index = BitConverter.ToInt32(bytes, 1);
            if (bytes[0] == (byte)'Q')
            {
                using var writer = _multiplexer.BeginMessage();
                var span = writer.GetSpan(5 + replySize);
                span[0] = (byte)'R';
                BitConverter.TryWriteBytes(span[1..], index);
                span.Slice(5, replySize).Fill((byte)index);
                writer.Advance(5 + replySize);
                writer.Send();
                Interlocked.Increment(ref _answered);
                return;
            }

            if (bytes.Length != 5 + replySize || bytes[^1] != (byte)index)
            {
                _allReplies.TrySetException(new InvalidDataException($"reply {index} is corrupt ({bytes.Length} bytes)"));
            }

            if (++_replies == requests)
            {
                _allReplies.TrySetResult();
            }
        }
    }
}
