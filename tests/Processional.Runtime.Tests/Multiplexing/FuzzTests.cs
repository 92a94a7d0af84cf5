using System.Buffers.Binary;
using System.IO.Pipelines;
using Processional.Multiplexing;
using Processional.Tests.Transport;
using Processional.Transport;
using static Processional.Tests.Multiplexing.ChannelIo;

namespace Processional.Tests.Multiplexing;

/// <summary>
/// Random and corrupted byte streams: each must end its own connection with a ProtocolException or a lost connection,
/// never hang, never throw anything else, and leave no channel or buffer behind; a well-behaved client is served after.
/// </summary>
public sealed class FuzzTests
{
    private const int MultiplexerStreams = 80_000;
    private const int HandshakeStreams = 20_000;
    private const int SocketStreams = 300;

    [Fact(Timeout = 120_000)]
    public async Task A_hundred_thousand_random_and_corrupted_streams_end_cleanly()
    {
        var valid = ValidClientStream();
        var outcomes = new int[3];

        // Batched on all cores; each stream gets its own multiplexer over its own in-memory pipes.
        await Parallel.ForAsync(0, MultiplexerStreams, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var bytes = Mutate(valid, new Random(i), i);
            Interlocked.Increment(ref outcomes[await FeedMultiplexerAsync(bytes, i)]);
        });

        await Parallel.ForAsync(0, HandshakeStreams, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var bytes = Mutate(ValidHello(), new Random(-i - 1), i);
            await FeedHandshakeAsync(bytes, i);
        });

        // The mutations must reach every outcome, or the test checks less than it claims.
        Assert.All(outcomes, count => Assert.True(count > 100, $"outcomes {string.Join(", ", outcomes)}"));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_listener_fed_corrupted_streams_still_serves_a_well_behaved_client_and_leaks_nothing()
    {
        using var dir = new TempSocketDirectory();
        await using var listener = await ConnectionListener.ListenAsync(Endpoint.Unix(dir.File("s.sock")), new ConnectionOptions { HandshakeTimeout = TimeSpan.FromSeconds(2) });
        var served = new List<Multiplexer>();
        var serving = Task.Run(async () =>
        {
            var sessions = new List<Task>();
            try
            {
                while (true)
                {
                    var multiplexer = Multiplexer.Start(await listener.AcceptAsync());
                    lock (served)
                    {
                        served.Add(multiplexer);
                    }

                    sessions.Add(EchoEveryChannelAsync(multiplexer));
                }
            }
            catch (ObjectDisposedException)
            {
            }

            await Task.WhenAll(sessions);
        });

        var hello = ClientHandshakeBytes();
        var valid = ValidClientStream();
        await Parallel.ForAsync(0, SocketStreams, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var random = new Random(1_000_000 + i);
            var bytes = i % 3 == 0 ? Mutate(hello, random, i) : [.. hello, .. Mutate(valid, random, i)];
            using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            await socket.ConnectAsync(listener.LocalEndpoint.ToUnixEndPoint());
            await socket.SendAsync(bytes, System.Net.Sockets.SocketFlags.None);
            socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);

            // Read until the listener closes: every stream must end, whatever it holds.
            var buffer = new byte[4096];
            try
            {
                while (await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None) > 0)
                {
                }
            }
            catch (System.Net.Sockets.SocketException)
            {
            }
        });

        // A well-behaved client after all that.
        await using (var client = Multiplexer.Start(await Connection.ConnectAsync(listener.LocalEndpoint)))
        {
            var channel = client.OpenChannel();
            var data = RandomBytes(1 << 20, seed: 11);
            var echo = ReadToEndAsync(channel.Input);
            await WriteAllAsync(channel.Output, data, chunk: 10_000);
            Assert.Equal(data, await echo);
        }

        await listener.DisposeAsync();
        await serving;
        Assert.Equal(0, listener.PendingHandshakes);
        foreach (var multiplexer in served)
        {
            await multiplexer.DisposeAsync();
            await multiplexer.RpcChannel.Input.CompleteAsync();
            Assert.Equal(0, multiplexer.ChannelCount);
            Assert.Equal(0, multiplexer.OutstandingBuffers);
        }
    }

    private static async Task EchoEveryChannelAsync(Multiplexer multiplexer)
    {
        var echoes = new List<Task>();
        try
        {
            while (true)
            {
                var channel = await multiplexer.AcceptChannelAsync();
                echoes.Add(Task.Run(async () =>
                {
                    try
                    {
                        await WriteAllAsync(channel.Output, await ReadToEndAsync(channel.Input), chunk: 65536);
                    }
                    catch (IOException)
                    {
                        channel.Input.Complete();
                    }
                    catch (ObjectDisposedException)
                    {
                        channel.Input.Complete();
                    }
                }));
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(echoes);
        await multiplexer.DisposeAsync();
    }

    /// <summary>Feeds one stream to a fresh server multiplexer; returns 0 for a protocol error, 1 for a lost connection, 2 for an orderly end.</summary>
    private static async Task<int> FeedMultiplexerAsync(byte[] bytes, int index)
    {
        var pipes = DuplexPipePair.Create(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        var multiplexer = Multiplexer.Start(pipes.Server, ConnectionRole.Server, new MultiplexerOptions { ChannelWindow = 4096, MaxChannels = 8, DisposeTimeout = TimeSpan.FromSeconds(5) });
        await pipes.Client.Output.WriteAsync(bytes);
        await pipes.Client.Output.CompleteAsync();

        int outcome;
        try
        {
            await multiplexer.Completion.WaitAsync(TimeSpan.FromSeconds(10));
            outcome = 2;
        }
        catch (ProtocolException)
        {
            outcome = 0;
        }
        catch (ConnectionLostException)
        {
            outcome = 1;
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"Stream {index} did not end the connection: {Convert.ToHexString(bytes)}");
        }

        await multiplexer.DisposeAsync();
        await pipes.Client.Input.CompleteAsync();

        // Channel 0 is the application's: bytes the peer sent before its End stay readable after the connection ends,
        // until the application completes the reader, as it does here.
        await multiplexer.RpcChannel.Input.CompleteAsync();
        Assert.True(multiplexer.ChannelCount == 0, $"stream {index} left {multiplexer.ChannelCount} channels: {Convert.ToHexString(bytes)}");
        Assert.True(multiplexer.OutstandingBuffers == 0, $"stream {index} left {multiplexer.OutstandingBuffers} buffers: {Convert.ToHexString(bytes)}");
        return outcome;
    }

    private static async Task FeedHandshakeAsync(byte[] bytes, int index)
    {
        var pipes = DuplexPipePair.Create(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        await pipes.Client.Output.WriteAsync(bytes);
        await pipes.Client.Output.CompleteAsync();
        try
        {
            await using var connection = await Connection.EstablishAsync(pipes.Server, ConnectionRole.Server, new ConnectionOptions { HandshakeTimeout = TimeSpan.FromSeconds(10) });
        }
        catch (ProtocolException ex) when (!ex.Message.Contains("did not complete within", StringComparison.Ordinal))
        {
        }
        catch (ProtocolException)
        {
            throw new Xunit.Sdk.XunitException($"Handshake stream {index} stalled instead of ending: {Convert.ToHexString(bytes)}");
        }
    }

    /// <summary>A client's side of a busy session: opens, data, window updates, ends, resets, pings, a GoAway.</summary>
    private static byte[] ValidClientStream()
    {
        var stream = new List<byte>();
        void Frame(byte type, uint channel, params byte[] payload)
        {
            var header = new byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(header, type | ((uint)payload.Length << 8));
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), channel);
            stream.AddRange(header);
            stream.AddRange(payload);
        }

        Frame(1, 0, [0, 0, 16, 0, 0, 0, 1, 0]);
        Frame(2, 1);
        Frame(3, 1, "hello"u8.ToArray());
        Frame(2, 3);
        Frame(3, 0, [1, 2, 3]);
        Frame(4, 1, [0, 16, 0, 0]);
        Frame(3, 3, new byte[300]);
        Frame(7, 0, [1, 2, 3, 4, 5, 6, 7, 8]);
        Frame(5, 1);
        Frame(6, 3, "stop"u8.ToArray());
        Frame(2, 5);
        Frame(3, 5, [9, 9]);
        Frame(5, 5);
        Frame(9, 0, [0, (byte)'o', (byte)'k']);
        return [.. stream];
    }

    private static byte[] ValidHello()
    {
        var hello = new byte[Handshake.HelloLength];
        Handshake.WriteHello(hello, Handshake.CurrentVersion, ConnectionRole.Client, false, new byte[32]);
        return [.. hello, .. Handshake.EncodeIdentity(42, new ProgramIdentity([new ModuleIdentity("A", Guid.Empty)]))];
    }

    private static byte[] ClientHandshakeBytes() => ValidHello();

    /// <summary>One of: pure random bytes, or the valid stream with flipped bytes, a cut, an insertion or a changed length.</summary>
    private static byte[] Mutate(byte[] valid, Random random, int index)
    {
        switch (index % 5)
        {
            case 0:
                var noise = new byte[random.Next(0, 96)];
                random.NextBytes(noise);
                return noise;
            case 1:
                var flipped = (byte[])valid.Clone();
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    flipped[random.Next(flipped.Length)] ^= (byte)random.Next(1, 256);
                }

                return flipped;
            case 2:
                return valid[..random.Next(valid.Length)];
            case 3:
                var at = random.Next(valid.Length);
                var inserted = new byte[random.Next(1, 16)];
                random.NextBytes(inserted);
                return [.. valid[..at], .. inserted, .. valid[at..]];
            default:
                // A frame boundary's length or type byte set to an extreme value.
                var changed = (byte[])valid.Clone();
                var position = random.Next(changed.Length);
                changed[position] = random.Next(2) == 0 ? (byte)0xFF : (byte)0x00;
                return changed;
        }
    }
}
