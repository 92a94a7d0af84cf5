using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Processional.Multiplexing;
using Processional.Transport;

namespace Processional.Benchmarks.Transport;

/// <summary>
/// A multiplexed channel against a plain Unix socket, between this process and a peer process, in the same run:
/// an 8-byte echo round trip, 1000 pipelined 8-byte messages, and a 1 GiB bulk transfer.
/// dotnet run -c Release --project bench/Processional.Benchmarks -- --filter '*TransportBenchmarks*'
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class TransportBenchmarks
{
    private const int Pipelined = 1000;
    private const long BulkBytes = 1L << 30;
    private const int BulkChunk = 1 << 20;

    private readonly byte[] _message = new byte[8];
    private readonly byte[] _reply = new byte[8];
    private readonly byte[] _pipelinedReplies = new byte[8 * Pipelined];
    private readonly byte[] _chunk = new byte[BulkChunk];
    private string _directory = null!;
    private Process _peer = null!;
    private Socket _rawEcho = null!;
    private Multiplexer _multiplexer = null!;
    private MultiplexedChannel _echo = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Path.Combine("/tmp", "pbench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        _peer = BenchPeer.Start(RawPath, MuxPath);
        _rawEcho = ConnectRaw((byte)'E');
        _multiplexer = Multiplexer.Start(await Connection.ConnectAsync(Endpoint.Unix(MuxPath)));
        _echo = _multiplexer.OpenChannel();
        await _echo.Output.WriteAsync(new byte[] { (byte)'E' });
        Random.Shared.NextBytes(_chunk);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _rawEcho.Dispose();
        await _multiplexer.DisposeAsync();
        _peer.Kill();
        _peer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "raw socket: 8-byte echo")]
    [BenchmarkCategory("echo")]
    public void RawEcho()
    {
        _rawEcho.Send(_message);
        ReceiveExactly(_rawEcho, _reply);
    }

    [Benchmark(Description = "channel: 8-byte echo")]
    [BenchmarkCategory("echo")]
    public async Task ChannelEcho()
    {
        await _echo.Output.WriteAsync(_message);
        await ReadExactlyAsync(_echo.Input, 8);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Pipelined, Description = "raw socket: pipelined 8-byte messages")]
    [BenchmarkCategory("pipelined")]
    public void RawPipelined()
    {
        // Replies are drained while sending: Unix sockets account each tiny message at its full buffer cost, so a
        // thousand unread replies would fill the peer's send buffer and both ends would block.
        var received = 0;
        for (var i = 0; i < Pipelined; i++)
        {
            _rawEcho.Send(_message);
            while (_rawEcho.Available > 0)
            {
                received += _rawEcho.Receive(_pipelinedReplies.AsSpan(received));
            }
        }

        while (received < _pipelinedReplies.Length)
        {
            received += _rawEcho.Receive(_pipelinedReplies.AsSpan(received));
        }
    }

    [Benchmark(OperationsPerInvoke = Pipelined, Description = "channel: pipelined 8-byte messages")]
    [BenchmarkCategory("pipelined")]
    public async Task ChannelPipelined()
    {
        for (var i = 0; i < Pipelined; i++)
        {
            await _echo.Output.WriteAsync(_message);
        }

        await ReadExactlyAsync(_echo.Input, 8 * Pipelined);
    }

    [Benchmark(Baseline = true, Description = "raw socket: 1 GiB bulk")]
    [BenchmarkCategory("bulk")]
    public void RawBulk()
    {
        using var socket = ConnectRaw((byte)'S');
        for (long sent = 0; sent < BulkBytes; sent += BulkChunk)
        {
            socket.Send(_chunk);
        }

        socket.Shutdown(SocketShutdown.Send);
        ReceiveExactly(socket, new byte[1]);
    }

    [Benchmark(Description = "channel: 1 GiB bulk")]
    [BenchmarkCategory("bulk")]
    public async Task ChannelBulk()
    {
        var channel = _multiplexer.OpenChannel();
        await channel.Output.WriteAsync(new byte[] { (byte)'S' });
        for (long sent = 0; sent < BulkBytes; sent += BulkChunk)
        {
            await channel.Output.WriteAsync(_chunk);
        }

        await channel.Output.CompleteAsync();
        await ReadExactlyAsync(channel.Input, 1);
        await channel.DisposeAsync();
    }

    private string RawPath => Path.Combine(_directory, "raw.sock");

    private string MuxPath => Path.Combine(_directory, "mux.sock");

    private static void ReceiveExactly(Socket socket, byte[] buffer)
    {
        var received = 0;
        while (received < buffer.Length)
        {
            var n = socket.Receive(buffer.AsSpan(received));
            if (n == 0)
            {
                throw new EndOfStreamException();
            }

            received += n;
        }
    }

    private static async ValueTask ReadExactlyAsync(PipeReader reader, int count)
    {
        var result = await reader.ReadAtLeastAsync(count);
        reader.AdvanceTo(result.Buffer.GetPosition(count));
    }

    private Socket ConnectRaw(byte kind)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(RawPath));
        socket.Send(new[] { kind });
        return socket;
    }
}
