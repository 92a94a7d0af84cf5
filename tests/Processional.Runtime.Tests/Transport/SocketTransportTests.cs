using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Security.Cryptography;
using Processional.Multiplexing;
using Processional.Transport;
using static Processional.Tests.Multiplexing.ChannelIo;

namespace Processional.Tests.Transport;

/// <summary>The socket transport driven by its own threads, and the thread-pool transport kept as an option.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SocketTransportTests
{
    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Connection_sockets_are_never_registered_with_the_async_socket_engine()
    {
        // A socket that saw one asynchronous operation stays registered with .NET's epoll engine, whose thread then
        // wakes for every message: a round trip gets about 70% slower. Connect, accept and handshake must avoid it.
        if (!OperatingSystem.IsLinux())
        {
            return; // It reads the epoll registrations in /proc; other systems use kqueue.
        }

        using var dir = new TempSocketDirectory();
        await using var listener = await ConnectionListener.ListenAsync(Endpoint.Unix(dir.File("s.sock")));
        await using var client = Multiplexer.Start(await Connection.ConnectAsync(listener.LocalEndpoint));
        await using var server = Multiplexer.Start(await listener.AcceptAsync());
        await client.RpcChannel.Output.WriteAsync("ping"u8.ToArray());
        Assert.Equal("ping"u8.ToArray(), await ReadExactlyAsync(server.RpcChannel.Input, 4));

        var registered = EpollRegisteredDescriptors();
        var clientSocket = ((SocketTransport)client.Connection!.Transport).Socket;
        var serverSocket = ((SocketTransport)server.Connection!.Transport).Socket;
        Assert.DoesNotContain((int)clientSocket.Handle, registered);
        Assert.DoesNotContain((int)serverSocket.Handle, registered);

        // The check itself works: a socket with an asynchronous receive pending (its peer sends nothing) shows up.
        var (probe, silent) = SocketPair();
        using var silentPeer = silent;
        var pending = probe.ReceiveAsync(new byte[1], SocketFlags.None);
        await WaitUntilAsync(() => EpollRegisteredDescriptors().Contains((int)probe.Handle), "the probe socket is registered");
        probe.Dispose();
        try
        {
            await pending; // ends with nothing, or aborted: either is fine, it only had to be registered
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_write_the_socket_cannot_take_returns_at_once_and_finishes_on_the_sending_thread()
    {
        var (mine, peer) = SocketPair();
        using var peerSocket = peer;
        await using var transport = new SocketTransport(mine);
        var data = RandomBytes(64 << 20, seed: 5);

        // Far more than the kernel buffers hold, with nobody reading: a blocking send would never return.
        var write = transport.Output.WriteAsync(data);

        Assert.False(write.IsCompleted, "the write should wait for the peer to read");
        Assert.True(transport.HasSendingThread);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        for (var received = 0; received < data.Length;)
        {
            var n = await peerSocket.ReceiveAsync(buffer, SocketFlags.None);
            Assert.NotEqual(0, n);
            hash.AppendData(buffer, 0, n);
            received += n;
        }

        Assert.False((await write).IsCanceled);
        Assert.Equal(SHA256.HashData(data), hash.GetHashAndReset());
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Disposing_ends_the_receiving_thread_and_fails_a_write_in_progress()
    {
        var (mine, peer) = SocketPair();
        using var peerSocket = peer;
        var transport = new SocketTransport(mine);
        var write = transport.Output.WriteAsync(new byte[64 << 20]).AsTask();

        await transport.DisposeAsync();

        await transport.ReceiverEnded;
        await Assert.ThrowsAsync<IOException>(() => write);
        var result = await transport.Input.ReadAsync();
        Assert.True(result.IsCompleted);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task The_peer_closing_ends_the_input()
    {
        var (mine, peer) = SocketPair();
        await using var transport = new SocketTransport(mine);
        await peer.SendAsync("last"u8.ToArray(), SocketFlags.None);
        peer.Dispose();

        var all = await ReadToEndAsync(transport.Input);

        Assert.Equal("last"u8.ToArray(), all);
        await transport.ReceiverEnded;
    }

    [Theory(Timeout = TestTimeouts.Long)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task Either_transport_on_either_end_carries_channels(bool clientThreads, bool serverThreads)
    {
        using var dir = new TempSocketDirectory();
        await using var listener = await ConnectionListener.ListenAsync(Endpoint.Unix(dir.File("s.sock")), new ConnectionOptions { DedicatedThreads = serverThreads });
        await using var client = Multiplexer.Start(await Connection.ConnectAsync(listener.LocalEndpoint, new ConnectionOptions { DedicatedThreads = clientThreads }));
        await using var server = Multiplexer.Start(await listener.AcceptAsync());
        Assert.Equal(clientThreads, client.Connection!.Transport is SocketTransport);
        Assert.Equal(serverThreads, server.Connection!.Transport is SocketTransport);

        var channel = client.OpenChannel();
        var data = RandomBytes(8 << 20, seed: 9);
        var echo = HashToEndAsync(channel.Input);
        var remote = await server.AcceptChannelAsync();
        var serving = Task.Run(async () => await WriteAllAsync(remote.Output, await ReadToEndAsync(remote.Input), chunk: 1 << 20));
        await WriteAllAsync(channel.Output, data, chunk: 300_000);

        Assert.Equal(SHA256.HashData(data), (await echo).Hash);
        await serving;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task With_an_inline_reader_scheduler_channel_reads_continue_on_the_receiving_thread()
    {
        using var dir = new TempSocketDirectory();
        await using var listener = await ConnectionListener.ListenAsync(Endpoint.Unix(dir.File("s.sock")));
        var inline = new MultiplexerOptions { ReaderScheduler = PipeScheduler.Inline };
        await using var client = Multiplexer.Start(await Connection.ConnectAsync(listener.LocalEndpoint));
        await using var server = Multiplexer.Start(await listener.AcceptAsync(), inline);
        var channel = client.OpenChannel();
        await channel.Output.WriteAsync(new byte[] { 1 });
        var remote = await server.AcceptChannelAsync();
        Assert.Equal(new byte[] { 1 }, await ReadExactlyAsync(remote.Input, 1));

        // The reader waits; the bytes that complete its read arrive on the server's receiving thread, and its
        // continuation runs right there: the echo goes back without a thread hop.
        var echoing = EchoOnceAsync(remote);
        await channel.Output.WriteAsync("round trip"u8.ToArray());

        Assert.Equal("round trip"u8.ToArray(), await ReadExactlyAsync(channel.Input, 10));
        Assert.Equal("Processional receiver", await echoing);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Bulk_data_goes_from_the_writer_s_memory_to_the_reader_s_buffer_intact_beside_small_traffic()
    {
        using var dir = new TempSocketDirectory();
        await using var listener = await ConnectionListener.ListenAsync(Endpoint.Unix(dir.File("s.sock")));
        await using var client = Multiplexer.Start(await Connection.ConnectAsync(listener.LocalEndpoint));
        await using var server = Multiplexer.Start(await listener.AcceptAsync());
        var bulk = client.OpenChannel();
        var chat = client.OpenChannel();
        var data = RandomBytes(48 << 20, seed: 21);

        // Large writes of odd sizes on one channel, small ones on another, both ways through the same socket.
        var bulkRemote = await AcceptAsync(server, bulk.Id, chat.Id);
        var chatRemote = bulkRemote.Other;
        var received = HashToEndAsync(bulkRemote.Channel.Input);
        var chatting = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await chat.Output.WriteAsync(BitConverter.GetBytes(i));
                Assert.Equal(BitConverter.GetBytes(i), await ReadExactlyAsync(chat.Input, 4));
            }
        });
        var chatEcho = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                await chatRemote.Output.WriteAsync(await ReadExactlyAsync(chatRemote.Input, 4));
            }
        });
        await WriteAllAsync(bulk.Output, data, chunk: 1_000_003);

        var (hash, length) = await received;
        Assert.Equal(data.Length, length);
        Assert.Equal(SHA256.HashData(data), hash);
        await Task.WhenAll(chatting, chatEcho);
        Assert.True(client.Writer.DirectBytesWritten > data.Length / 2, $"only {client.Writer.DirectBytesWritten} bytes were written directly");
        Assert.True(server.DirectBytesReceived > data.Length / 2, $"only {server.DirectBytesReceived} bytes were received directly");
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_reader_that_stops_or_resets_while_bulk_data_arrives_directly_leaks_nothing()
    {
        using var dir = new TempSocketDirectory();
        await using var listener = await ConnectionListener.ListenAsync(Endpoint.Unix(dir.File("s.sock")));
        var client = Multiplexer.Start(await Connection.ConnectAsync(listener.LocalEndpoint));
        var server = Multiplexer.Start(await listener.AcceptAsync());
        var chunk = RandomBytes(4 << 20, seed: 22);

        for (var round = 0; round < 20; round++)
        {
            var channel = client.OpenChannel();
            var writing = Task.Run(async () =>
            {
                try
                {
                    for (var i = 0; i < 8; i++)
                    {
                        await channel.Output.WriteAsync(chunk);
                    }

                    await channel.Output.CompleteAsync();
                }
                catch (ChannelResetException)
                {
                }
            });
            var remote = await server.AcceptChannelAsync();

            // After some bytes, the reader gives up (in every other round by resetting): what is still arriving,
            // part of it straight into the channel's buffer, must be dropped and its buffers given back.
            for (long consumed = 0; consumed < 1 + (round * 300_000);)
            {
                var result = await remote.Input.ReadAsync();
                consumed += result.Buffer.Length;
                remote.Input.AdvanceTo(result.Buffer.End);
            }

            if (round % 2 == 0)
            {
                await remote.Input.CompleteAsync();
            }
            else
            {
                remote.Reset("enough");
            }

            await writing;
            if (round % 2 == 0)
            {
                await remote.Output.CompleteAsync();
                await Task.WhenAll(channel.Completion, remote.Completion);
            }
        }

        // The connection still works, then closes leaving nothing behind.
        await client.RpcChannel.Output.WriteAsync("still fine"u8.ToArray());
        Assert.Equal("still fine"u8.ToArray(), await ReadExactlyAsync(server.RpcChannel.Input, 10));
        Assert.True(server.DirectBytesReceived > 0, "nothing was received directly: the test did not test the direct path");
        await client.DisposeAsync();
        await server.DisposeAsync();
        await client.RpcChannel.Input.CompleteAsync();
        await server.RpcChannel.Input.CompleteAsync();
        Assert.Equal(0, server.OutstandingBuffers);
        Assert.Equal(0, client.OutstandingBuffers);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task With_a_receive_spin_small_and_large_traffic_still_flows_and_idle_connections_sleep()
    {
        var spin = new ConnectionOptions { ReceiveSpin = TimeSpan.FromMicroseconds(200) };
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectionOptions { ReceiveSpin = TimeSpan.FromMilliseconds(2) });
        using var dir = new TempSocketDirectory();
        await using var listener = await ConnectionListener.ListenAsync(Endpoint.Unix(dir.File("s.sock")), spin);
        await using var client = Multiplexer.Start(await Connection.ConnectAsync(listener.LocalEndpoint, spin));
        await using var server = Multiplexer.Start(await listener.AcceptAsync());
        var channel = client.OpenChannel();
        var data = RandomBytes(4 << 20, seed: 23);
        var remote = await server.AcceptChannelAsync();
        var echo = Task.Run(async () => await WriteAllAsync(remote.Output, await ReadToEndAsync(remote.Input), chunk: 100_000));

        for (var i = 0; i < 100; i++)
        {
            await client.RpcChannel.Output.WriteAsync(BitConverter.GetBytes(i));
            Assert.Equal(BitConverter.GetBytes(i), await ReadExactlyAsync(server.RpcChannel.Input, 4));
        }

        var received = HashToEndAsync(channel.Input);
        await WriteAllAsync(channel.Output, data, chunk: 70_000);
        Assert.Equal(SHA256.HashData(data), (await received).Hash);
        await echo;

        // Idle, each receiving thread spins once, then sleeps in the kernel.
        var clientTransport = (SocketTransport)client.Connection!.Transport;
        var serverTransport = (SocketTransport)server.Connection!.Transport;
        var (clientSleeps, serverSleeps) = (clientTransport.Sleeps, serverTransport.Sleeps);
        await client.RpcChannel.Output.WriteAsync(new byte[] { 1 });
        Assert.Equal(new byte[] { 1 }, await ReadExactlyAsync(server.RpcChannel.Input, 1));
        await server.RpcChannel.Output.WriteAsync(new byte[] { 2 });
        Assert.Equal(new byte[] { 2 }, await ReadExactlyAsync(client.RpcChannel.Input, 1));
        await WaitUntilAsync(() => clientTransport.Sleeps > clientSleeps && serverTransport.Sleeps > serverSleeps, "both receiving threads sleep after the last bytes");
    }

    private static async Task<(MultiplexedChannel Channel, MultiplexedChannel Other)> AcceptAsync(Multiplexer server, uint id, uint otherId)
    {
        var first = await server.AcceptChannelAsync();
        var second = await server.AcceptChannelAsync();
        Assert.Equal(id, first.Id);
        Assert.Equal(otherId, second.Id);
        return (first, second);
    }

    private static async Task<string?> EchoOnceAsync(MultiplexedChannel channel)
    {
        var result = await channel.Input.ReadAtLeastAsync(10).ConfigureAwait(false);
        var thread = Thread.CurrentThread.Name;
        var bytes = result.Buffer.Slice(0, 10).ToArray();
        channel.Input.AdvanceTo(result.Buffer.GetPosition(10));
        await channel.Output.WriteAsync(bytes).ConfigureAwait(false);
        return thread;
    }

    private static (Socket Mine, Socket Peer) SocketPair()
    {
        var path = Path.Combine("/tmp", "pt-" + Guid.NewGuid().ToString("N")[..12] + ".sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        var mine = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        mine.Connect(new UnixDomainSocketEndPoint(path));
        var peer = listener.Accept();
        File.Delete(path);
        return (mine, peer);
    }

    /// <summary>The descriptors registered with any epoll instance of this process (/proc/self/fdinfo "tfd:" lines).</summary>
    private static HashSet<int> EpollRegisteredDescriptors()
    {
        var registered = new HashSet<int>();
        foreach (var file in Directory.GetFiles("/proc/self/fdinfo"))
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith("tfd:", StringComparison.Ordinal))
                {
                    registered.Add(int.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        return registered;
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => Multiplexing.MultiplexerTests.WaitUntilAsync(condition, what);
}
