using System.Diagnostics;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using Processional.Benchmarks.Transport;

namespace Processional.Benchmarks.Slaves;

/// <summary>
/// Calls to a slave process against the same traffic on a raw Unix socket to a peer process, in the same run (issue 6,
/// "Benchmark"): a round trip, 100,000 pipelined calls, and a 64 MiB <c>double[]</c> capture.
/// dotnet run -c Release --project bench/Processional.Benchmarks -- --filter '*SlaveCallBenchmarks*'
/// </summary>
/// <remarks>
/// The raw baselines are blocking sends and receives on a socket served by a thread of the peer (the transport
/// benchmarks' peer): an 8-byte echo; 100,000 8-byte echoes written by one thread while this one reads; 64 MiB written
/// to a peer that discards them and answers one byte at the end.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SlaveCallBenchmarks
{
    private const int Pipelined = 100_000;
    private const int CaptureLength = 64 * 1024 * 1024 / sizeof(double);

    private readonly byte[] _message = new byte[8];
    private readonly byte[] _reply = new byte[8];
    private readonly byte[] _replies = new byte[8 * Pipelined];
    private readonly Task<int>[] _calls = new Task<int>[Pipelined];
    private double[] _data = null!;
    private string _directory = null!;
    private Process _peer = null!;
    private Socket _rawEcho = null!;
    private SlaveProcess _slave = null!;

    private string RawPath => Path.Combine(_directory, "raw.sock");

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Path.Combine("/tmp", "pslave-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        _peer = BenchPeer.Start(RawPath, Path.Combine(_directory, "mux.sock"));
        _rawEcho = ConnectRaw((byte)'E');
        _slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "bench" });
        _data = new double[CaptureLength];
        Random.Shared.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_data.AsSpan()));
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _rawEcho.Dispose();
        await _slave.DisposeAsync();
        _peer.Kill();
        await _peer.WaitForExitAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "raw socket echo, 8 B")]
    [BenchmarkCategory("1. Round trip")]
    public int RawEcho()
    {
        _rawEcho.Send(_message);
        return ReceiveExactly(_rawEcho, _reply);
    }

    [Benchmark(Description = "slave.Invoke(() => 1)")]
    [BenchmarkCategory("1. Round trip")]
    public int Invoke() => _slave.Invoke(() => 1);

    [Benchmark(Baseline = true, OperationsPerInvoke = Pipelined, Description = "raw socket, 100,000 pipelined echoes")]
    [BenchmarkCategory("2. Pipelined (per call)")]
    public async Task<int> RawPipelined()
    {
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < Pipelined; i++)
            {
                _rawEcho.Send(_message);
            }
        });
        var read = ReceiveExactly(_rawEcho, _replies);
        await writer;
        return read;
    }

    [Benchmark(OperationsPerInvoke = Pipelined, Description = "100,000 pipelined InvokeAsync")]
    [BenchmarkCategory("2. Pipelined (per call)")]
    public async Task<int> InvokePipelined()
    {
        for (var i = 0; i < _calls.Length; i++)
        {
            _calls[i] = _slave.InvokeAsync(() => 1);
        }

        var sum = 0;
        foreach (var call in _calls)
        {
            sum += await call;
        }

        return sum;
    }

    [Benchmark(Baseline = true, Description = "raw socket, 64 MiB to a sink")]
    [BenchmarkCategory("3. 64 MiB double[]")]
    public int RawBulk()
    {
        using var socket = ConnectRaw((byte)'S');
        socket.Send(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_data.AsSpan()));
        socket.Shutdown(SocketShutdown.Send);
        return ReceiveExactly(socket, _reply.AsSpan(0, 1).ToArray());
    }

    [Benchmark(Description = "64 MiB double[] captured")]
    [BenchmarkCategory("3. 64 MiB double[]")]
    public int Capture()
    {
        var data = _data;
        return _slave.Invoke(() => data.Length);
    }

    private Socket ConnectRaw(byte kind)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(RawPath));
        socket.Send([kind]);
        return socket;
    }

    private static int ReceiveExactly(Socket socket, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = socket.Receive(buffer, read, buffer.Length - read, SocketFlags.None);
            if (n == 0)
            {
                throw new IOException("The peer closed the socket.");
            }

            read += n;
        }

        return read;
    }
}

/// <summary>
/// Spawn to first call: <c>SlaveProcess.StartAsync</c> and one <c>Invoke</c> returned, against starting this same
/// program bare (<c>dotnet Processional.Benchmarks.dll --hello PATH</c>) and reading the one byte it writes once connected
/// back to a Unix socket. Each iteration starts one process; killing it and waiting for its exit happen in the
/// iteration cleanup, outside the measured time, for both (issue 6, "Benchmark").
/// dotnet run -c Release --project bench/Processional.Benchmarks -- --filter '*SlaveStartBenchmarks*'
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 25)]
public class SlaveStartBenchmarks
{
    private string _directory = null!;
    private Process? _bare;
    private Socket? _listener;
    private Socket? _accepted;
    private SlaveProcess? _slave;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine("/tmp", "pstart-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [IterationSetup(Target = nameof(BareProcess))]
    public void ListenForBare()
    {
        _listener = HelloProcess.Listen(Path.Combine(_directory, "hello.sock"));
    }

    [Benchmark(Baseline = true, Description = "bare dotnet hello.dll connecting back")]
    public async Task<int> BareProcess()
    {
        (_bare, _accepted) = await HelloProcess.StartConnectedAsync(_listener!, Path.Combine(_directory, "hello.sock"));
        return _bare.Id;
    }

    [IterationCleanup(Target = nameof(BareProcess))]
    public void StopBare()
    {
        _bare!.Kill();
        _bare.WaitForExit();
        _bare.Dispose();
        _accepted!.Dispose();
        _listener!.Dispose();
    }

    [Benchmark(Description = "SlaveProcess.StartAsync + Invoke")]
    public async Task<int> Slave()
    {
        _slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "spawned" });
        return _slave.Invoke(() => 1);
    }

    [IterationCleanup(Target = nameof(Slave))]
    public void StopSlave()
    {
        _slave!.Kill();
        _slave.Dispose();
    }
}
