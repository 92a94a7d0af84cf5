using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using Processional.Multiplexing;
using Processional.Transport;

namespace Processional.Benchmarks.Transport;

/// <summary>
/// The other process of the transport benchmarks: this same program started with <c>--peer RAW_PATH MUX_PATH</c>.
/// On RAW_PATH it serves plain Unix sockets; on MUX_PATH Processional connections. Each connection (or channel) says
/// what it wants with its first byte: 'E' echo everything back, 'S' swallow everything and answer one byte at the end.
/// Channel 0 is in message mode and echoes every message. Channels and messages are served inline, on the connection's
/// reading thread, as a server that never blocks would serve them.
/// </summary>
internal static class BenchPeer
{
    public static async Task<int> RunAsync(string rawPath, string muxPath)
    {
        using var raw = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        File.Delete(rawPath);
        raw.Bind(new UnixDomainSocketEndPoint(rawPath));
        raw.Listen();
        await using var listener = await ConnectionListener.ListenAsync(Endpoint.Unix(muxPath));

        // Connections to the second endpoint spin briefly before their receiving thread sleeps (ConnectionOptions.ReceiveSpin).
        await using var spinning = await ConnectionListener.ListenAsync(Endpoint.Unix(muxPath + ".spin"), new ConnectionOptions { ReceiveSpin = TransportBenchmarks.ReceiveSpin });
        _ = Task.Run(async () =>
        {
            while (true)
            {
                _ = ServeMultiplexedAsync(await spinning.AcceptAsync());
            }
        });
        Console.WriteLine("ready");
        _ = Task.Run(() =>
        {
            while (true)
            {
                var socket = raw.Accept();
                new Thread(() => ServeRaw(socket)) { IsBackground = true }.Start();
            }
        });

        while (true)
        {
            var connection = await listener.AcceptAsync();
            _ = ServeMultiplexedAsync(connection);
        }
    }

    /// <summary>Starts the peer and waits until it listens.</summary>
    public static Process Start(string rawPath, string muxPath)
    {
        var startInfo = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        startInfo.ArgumentList.Add(typeof(BenchPeer).Assembly.Location);
        startInfo.ArgumentList.Add("--peer");
        startInfo.ArgumentList.Add(rawPath);
        startInfo.ArgumentList.Add(muxPath);
        var process = Process.Start(startInfo)!;
        if (process.StandardOutput.ReadLine() != "ready")
        {
            throw new InvalidOperationException("The benchmark peer did not start.");
        }

        return process;
    }

    private static void ServeRaw(Socket socket)
    {
        using (socket)
        {
            var buffer = new byte[1 << 20];
            var kind = new byte[1];
            if (socket.Receive(kind) == 0)
            {
                return;
            }

            int n;
            while ((n = socket.Receive(buffer)) > 0)
            {
                if (kind[0] == (byte)'E')
                {
                    socket.Send(buffer.AsSpan(0, n));
                }
            }

            if (kind[0] == (byte)'S')
            {
                socket.Send(new byte[] { 1 });
                socket.Shutdown(SocketShutdown.Send);
            }
        }
    }

    private static async Task ServeMultiplexedAsync(Connection connection)
    {
        await using var multiplexer = Multiplexer.Start(connection, m => new MessageEcho(m), new MultiplexerOptions { ReaderScheduler = PipeScheduler.Inline });
        try
        {
            while (true)
            {
                var channel = await multiplexer.AcceptChannelAsync();
                _ = ServeChannelAsync(channel);
            }
        }
        catch (IOException)
        {
        }
    }

    private static async Task ServeChannelAsync(MultiplexedChannel channel)
    {
        var first = await channel.Input.ReadAtLeastAsync(1);
        var kind = first.Buffer.FirstSpan[0];
        channel.Input.AdvanceTo(first.Buffer.GetPosition(1));
        if (kind == (byte)'E')
        {
            await EchoAsync(channel);
            return;
        }

        while (true)
        {
            var result = await channel.Input.ReadAsync();
            channel.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await channel.Output.WriteAsync(new byte[] { 1 });
        await channel.Output.CompleteAsync();
    }

    private static async Task EchoAsync(MultiplexedChannel channel)
    {
        try
        {
            while (true)
            {
                var result = await channel.Input.ReadAsync();
                foreach (var segment in result.Buffer)
                {
                    await channel.Output.WriteAsync(segment);
                }

                channel.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (IOException)
        {
        }
    }

    private sealed class MessageEcho(Multiplexer multiplexer) : IMessageHandler
    {
        private byte[] _copy = new byte[64];

        public void OnMessage(ReadOnlySequence<byte> message)
        {
            if (message.IsSingleSegment)
            {
                multiplexer.SendMessage(message.FirstSpan);
                return;
            }

            if (_copy.Length < message.Length)
            {
                _copy = new byte[message.Length];
            }

            message.CopyTo(_copy);
            multiplexer.SendMessage(_copy.AsSpan(0, (int)message.Length));
        }
    }
}
