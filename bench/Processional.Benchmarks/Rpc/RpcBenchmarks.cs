using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Http.Json;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Processional.Benchmarks.Transport;
using Processional.Multiplexing;
using Processional.Rpc;
using Processional.Transport;

namespace Processional.Benchmarks.Rpc;

/// <summary>
/// [Remote] proxy calls between two processes over a Unix socket (issue 5), in one run with their baselines: the raw
/// channel echo of the connection layer (8 bytes, on a data channel of the same connection) and the same call through
/// ASP.NET Core Kestrel on a Unix socket with HttpClient and System.Text.Json. Loops of sequential awaits report the round
/// trip; the pipelined case keeps many calls in flight and reports the time per call.
/// dotnet run -c Release --project bench/Processional.Benchmarks -- --filter '*RpcBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[Config(typeof(Config))]
public class RpcBenchmarks
{
    private const int Loop = 1000;
    private const int HttpLoop = 100;
    private const int Pipelined = 10_000;

    private readonly byte[] _message = new byte[8];
    private readonly ValueTask<int>[] _inFlight = new ValueTask<int>[Pipelined];
    private string _directory = null!;
    private Process _peer = null!;
    private RpcConnection _rpc = null!;
    private IBenchCalculator _calculator = null!;
    private MultiplexedChannel _echo = null!;
    private HttpClient _http = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Path.Combine("/tmp", "prpc-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        var muxPath = Path.Combine(_directory, "rpc.sock");
        var httpPath = Path.Combine(_directory, "http.sock");
        _peer = RpcBenchPeer.Start(muxPath, httpPath);

        var connection = await Connection.ConnectAsync(Endpoint.Unix(muxPath));
        _rpc = RpcOverMultiplexer.Start(connection, null, multiplexerOptions: new MultiplexerOptions { ReaderScheduler = PipeScheduler.Inline });
        _calculator = _rpc.Get<IBenchCalculator>("calc");
        _echo = ((RpcOverMultiplexer)_rpc.Transport).Multiplexer.OpenChannel();

        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(httpPath), token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        {
            BaseAddress = new Uri("http://localhost"),
        };

        // Warm every path once.
        await _calculator.AddAsync(1, 2);
        await EchoAsync();
        await HttpAddAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _http.Dispose();
        await _rpc.DisposeAsync();
        _peer.Kill();
        _peer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Loop, Description = "channel: 8-byte echo, async loop")]
    [BenchmarkCategory("round trip")]
    public async Task ChannelEchoLoop()
    {
        for (var i = 0; i < Loop; i++)
        {
            await EchoAsync();
        }
    }

    [Benchmark(OperationsPerInvoke = Loop, Description = "proxy: AddAsync(1, 2), async loop")]
    [BenchmarkCategory("round trip")]
    public async Task<int> ProxyLoop()
    {
        var sum = 0;
        for (var i = 0; i < Loop; i++)
        {
            sum += await _calculator.AddAsync(1, 2);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Loop, Description = "proxy: Add(1, 2), blocking")]
    [BenchmarkCategory("round trip")]
    public int ProxyBlocking()
    {
        var sum = 0;
        for (var i = 0; i < Loop; i++)
        {
            sum += _calculator.Add(1, 2);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = HttpLoop, Description = "Kestrel + HttpClient + STJ: POST /add, async loop")]
    [BenchmarkCategory("round trip")]
    public async Task<int> HttpLoopAsync()
    {
        var sum = 0;
        for (var i = 0; i < HttpLoop; i++)
        {
            sum += await HttpAddAsync();
        }

        return sum;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Pipelined, Description = "proxy: 10,000 AddAsync in flight")]
    [BenchmarkCategory("pipelined")]
    public async Task<int> ProxyPipelined()
    {
        for (var i = 0; i < Pipelined; i++)
        {
            _inFlight[i] = _calculator.AddAsync(i, 1);
        }

        var sum = 0;
        for (var i = 0; i < Pipelined; i++)
        {
            sum += await _inFlight[i];
        }

        return sum;
    }

    private async ValueTask EchoAsync()
    {
        await _echo.Output.WriteAsync(_message);
        var result = await _echo.Input.ReadAtLeastAsync(8);
        _echo.Input.AdvanceTo(result.Buffer.GetPosition(8));
    }

    private async Task<int> HttpAddAsync()
    {
        using var response = await _http.PostAsJsonAsync("/add", new AddRequest(1, 2), RpcBenchJsonContext.Default.AddRequest);
        return await response.Content.ReadFromJsonAsync(RpcBenchJsonContext.Default.Int32);
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(StatisticColumn.Median, new MedianRatioColumn());
    }
}

/// <summary>Allocations of a proxy call in steady state, over an in-process pair (issue 5: none for a ValueTask method).</summary>
[MemoryDiagnoser]
public class RpcAllocationBenchmarks
{
    private const int Loop = 1000;

    private RpcConnection _client = null!;
    private RpcConnection _server = null!;
    private IBenchCalculator _calculator = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_client, _server) = RpcConnection.CreateInProcessPair();
        _server.Expose<IBenchCalculator>("calc", new BenchCalculator());
        _calculator = _client.Get<IBenchCalculator>("calc");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Benchmark(OperationsPerInvoke = Loop, Description = "in-process pair: AddAsync(1, 2), async loop")]
    public async Task<int> InProcessLoop()
    {
        var sum = 0;
        for (var i = 0; i < Loop; i++)
        {
            sum += await _calculator.AddAsync(1, 2);
        }

        return sum;
    }
}
