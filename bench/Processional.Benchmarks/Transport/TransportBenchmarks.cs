using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Processional.Internal;
using Processional.Multiplexing;
using Processional.Transport;

namespace Processional.Benchmarks.Transport;

/// <summary>
/// The connection layer against a plain Unix socket, between this process and a peer process, in the same run (issue 4,
/// "Benchmark"): an 8-byte echo round trip, 1000 pipelined 8-byte messages, and a 1 GiB bulk transfer. The raw
/// baselines are what the issue defines: blocking sends and receives on a socket that .NET's socket engine never
/// sees, a thread per connection on the peer.
/// dotnet run -c Release --project bench/Processional.Benchmarks -- --filter '*TransportBenchmarks*'
/// </summary>
/// <remarks>
/// Each channel benchmark waits the most efficient way the API allows. A synchronous caller ("sync wait") writes,
/// then sleeps on a signal (brief spin, then a monitor: <see cref="CallSignal"/>, what a blocking RPC call uses) that
/// the connection's reading thread sets from an inline continuation or the message handler: two wake-ups on this
/// side (the reading thread, then the caller) where the raw socket has one. An asynchronous caller whose
/// continuations run inline ("async loop", <see cref="PipeScheduler.Inline"/>) costs one: the next request is sent from
/// the reading thread as soon as the reply is in. The peer serves channels and messages inline on its reading thread.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[Config(typeof(Config))]
public class TransportBenchmarks
{
    /// <summary>The receive spin of the "receive spin" variants, on both ends.</summary>
    internal static readonly TimeSpan ReceiveSpin = TimeSpan.FromMicroseconds(50);

    private const int Loop = 1000;
    private const int Pipelined = 1000;
    private const long BulkBytes = 1L << 30;
    private const int BulkChunk = 1 << 20;

    private readonly byte[] _message = new byte[8];
    private readonly byte[] _reply = new byte[8];
    private readonly byte[] _pipelinedReplies = new byte[8 * Pipelined];
    private readonly byte[] _chunk = new byte[BulkChunk];
    private readonly CallSignal _signal = new();
    private Action _setSignal = null!;
    private string _directory = null!;
    private Process _peer = null!;
    private Socket _rawEcho = null!;
    private Multiplexer _multiplexer = null!;
    private MultiplexedChannel _echo = null!;
    private EchoCounter _counter = null!;
    private Multiplexer _spinning = null!;
    private EchoCounter _spinningCounter = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Path.Combine("/tmp", "pbench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        _peer = BenchPeer.Start(RawPath, MuxPath);
        _rawEcho = ConnectRaw((byte)'E');
        _setSignal = _signal.Set;
        var options = new MultiplexerOptions { ReaderScheduler = PipeScheduler.Inline };
        _multiplexer = Multiplexer.Start(await Connection.ConnectAsync(Endpoint.Unix(MuxPath)), m => _counter = new EchoCounter(m, _message, _signal), options);
        var spin = new ConnectionOptions { ReceiveSpin = ReceiveSpin };
        _spinning = Multiplexer.Start(await Connection.ConnectAsync(Endpoint.Unix(MuxPath + ".spin"), spin), m => _spinningCounter = new EchoCounter(m, _message, _signal), options);
        _echo = _multiplexer.OpenChannel();
        await _echo.Output.WriteAsync(new byte[] { (byte)'E' });
        Random.Shared.NextBytes(_chunk);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _rawEcho.Dispose();
        await _multiplexer.DisposeAsync();
        await _spinning.DisposeAsync();
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

    [Benchmark(Description = "channel: 8-byte echo, sync wait")]
    [BenchmarkCategory("echo")]
    public void ChannelEcho()
    {
        Wait(_echo.Output.WriteAsync(_message));
        ReadSync(_echo.Input, 8);
    }

    [Benchmark(OperationsPerInvoke = Loop, Description = "channel: 8-byte echo, async loop")]
    [BenchmarkCategory("echo")]
    public Task ChannelEchoLoop() => ChannelEchoLoopAsync();

    [Benchmark(Description = "message: 8-byte echo, sync wait")]
    [BenchmarkCategory("echo")]
    public void MessageEcho()
    {
        _counter.Expect(1);
        _multiplexer.SendMessage(_message);
        _signal.WaitAndReset();
    }

    [Benchmark(OperationsPerInvoke = Loop, Description = "message: 8-byte echo, handler loop")]
    [BenchmarkCategory("echo")]
    public void MessageEchoLoop()
    {
        // The handler sends the next message from the reading thread as each reply comes in.
        _counter.Expect(Loop, resend: true);
        _multiplexer.SendMessage(_message);
        _signal.WaitAndReset();
    }

    [Benchmark(Description = "message: 8-byte echo, sync wait, 50 us receive spin")]
    [BenchmarkCategory("echo")]
    public void MessageEchoSpinning()
    {
        _spinningCounter.Expect(1);
        _spinning.SendMessage(_message);
        _signal.WaitAndReset();
    }

    [Benchmark(OperationsPerInvoke = Loop, Description = "message: 8-byte echo, handler loop, 50 us receive spin")]
    [BenchmarkCategory("echo")]
    public void MessageEchoLoopSpinning()
    {
        _spinningCounter.Expect(Loop, resend: true);
        _spinning.SendMessage(_message);
        _signal.WaitAndReset();
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
    public void ChannelPipelined()
    {
        for (var i = 0; i < Pipelined; i++)
        {
            Wait(_echo.Output.WriteAsync(_message));
        }

        ReadSync(_echo.Input, 8 * Pipelined);
    }

    [Benchmark(OperationsPerInvoke = Pipelined, Description = "message: pipelined 8-byte messages")]
    [BenchmarkCategory("pipelined")]
    public void MessagePipelined()
    {
        _counter.Expect(Pipelined);
        for (var i = 0; i < Pipelined; i++)
        {
            _multiplexer.SendMessage(_message);
        }

        _signal.WaitAndReset();
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
        var result = await channel.Input.ReadAtLeastAsync(1);
        channel.Input.AdvanceTo(result.Buffer.End);
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

    private static void Wait(ValueTask<FlushResult> flush)
    {
        if (!flush.IsCompletedSuccessfully)
        {
            flush.AsTask().GetAwaiter().GetResult();
        }
    }

    private async Task ChannelEchoLoopAsync()
    {
        // After the first reply, every iteration runs on the connection's reading thread (inline continuations).
        for (var i = 0; i < Loop; i++)
        {
            await _echo.Output.WriteAsync(_message).ConfigureAwait(false);
            var result = await _echo.Input.ReadAtLeastAsync(8).ConfigureAwait(false);
            _echo.Input.AdvanceTo(result.Buffer.GetPosition(8));
        }
    }

    /// <summary>Reads <paramref name="count"/> bytes, sleeping on the signal while the reading thread brings them.</summary>
    private void ReadSync(PipeReader input, int count)
    {
        var read = 0;
        while (read < count)
        {
            var pending = input.ReadAsync();
            if (!pending.IsCompleted)
            {
                pending.GetAwaiter().UnsafeOnCompleted(_setSignal);
                _signal.WaitAndReset();
            }

            var buffer = pending.Result.Buffer;
            var take = Math.Min(buffer.Length, count - read);
            read += (int)take;
            input.AdvanceTo(buffer.GetPosition(take));
        }
    }

    private Socket ConnectRaw(byte kind)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(RawPath));
        socket.Send(new[] { kind });
        return socket;
    }

    /// <summary>This side's message handler: counts replies, sets the signal when the expected number is in.</summary>
    private sealed class EchoCounter(Multiplexer multiplexer, byte[] message, CallSignal signal) : IMessageHandler
    {
        private int _remaining;
        private bool _resend;

        public void Expect(int count, bool resend = false)
        {
            _resend = resend;
            Volatile.Write(ref _remaining, count);
        }

        public void OnMessage(ReadOnlySequence<byte> reply)
        {
            if (--_remaining == 0)
            {
                signal.Set();
            }
            else if (_resend)
            {
                multiplexer.SendMessage(message);
            }
        }
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(StatisticColumn.Median, new MedianRatioColumn());
        }
    }
}
