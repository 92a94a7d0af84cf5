using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Processional.Benchmarks.Rpc;
using Processional.Benchmarks.Transport;
using Processional.Transport;

namespace Processional.Benchmarks.Server;

/// <summary>
/// Calls per second from 1, 8 and 64 clients to one server process (issue 7), over a Unix socket and over TCP (with the
/// shared-secret handshake, no TLS), against the same load through Kestrel + HttpClient + System.Text.Json on the same
/// kind of endpoint. Each client is a connection of its own (a <see cref="SlaveProcess"/> from ConnectAsync, or an
/// HttpClient with its own handler) and makes its calls one after the other; the clients run at once. The time reported
/// is per call over all clients: calls/s = 1 / mean.
/// dotnet run -c Release --project bench/Processional.Benchmarks -- --filter '*ServerBenchmarks*' --job short
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
[Config(typeof(Config))]
public class ServerBenchmarks
{
    private const int Calls = 1024;

    private Process _peer = null!;
    private string _directory = null!;
    private SlaveProcess[] _clients = [];
    private IBenchCalculator[] _calculators = [];
    private HttpClient[] _http = [];

    [Params(1, 8, 64)]
    public int Clients { get; set; }

    [Params("unix", "tcp")]
    public string Endpoint { get; set; } = "unix";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Path.Combine("/tmp", "psrv-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        var secret = ConnectionOptions.CreateSecret();
        string endpoint, httpAddress;
        if (Endpoint == "tcp")
        {
            endpoint = $"tcp://127.0.0.1:{FreePort()}";
            httpAddress = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            endpoint = $"unix:{Path.Combine(_directory, "p.sock")}";
            httpAddress = Path.Combine(_directory, "http.sock");
        }

        _peer = ServerBenchPeer.Start(Endpoint, endpoint, httpAddress, Convert.ToBase64String(secret));
        var options = Endpoint == "tcp" ? new ConnectionOptions { Secret = secret } : null;
        _clients = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => SlaveProcess.ConnectAsync(endpoint, options)));
        _calculators = _clients.Select(c => c.Get<IBenchCalculator>("calc")).ToArray();
        _http = Enumerable.Range(0, Clients).Select(_ => CreateHttpClient(httpAddress)).ToArray();

        // Warm every connection once.
        await ProcessionalAsync();
        await KestrelAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        foreach (var http in _http)
        {
            http.Dispose();
        }

        await Task.WhenAll(_clients.Select(c => c.DisposeAsync().AsTask()));
        _peer.Kill();
        _peer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "Processional: AddAsync(1, 2)")]
    public Task ProcessionalAsync() => Task.WhenAll(_calculators.Select(calculator => Task.Run(async () =>
    {
        for (var i = 0; i < Calls / _calculators.Length; i++)
        {
            if (await calculator.AddAsync(i, 1) != i + 1)
            {
                throw new InvalidOperationException("Wrong answer.");
            }
        }
    })));

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls, Description = "Kestrel + HttpClient: POST /add")]
    public Task KestrelAsync() => Task.WhenAll(_http.Select(http => Task.Run(async () =>
    {
        for (var i = 0; i < Calls / _http.Length; i++)
        {
            using var response = await http.PostAsJsonAsync("/add", new AddRequest(i, 1), RpcBenchJsonContext.Default.AddRequest);
            if (await response.Content.ReadFromJsonAsync(RpcBenchJsonContext.Default.Int32) != i + 1)
            {
                throw new InvalidOperationException("Wrong answer.");
            }
        }
    })));

    private HttpClient CreateHttpClient(string httpAddress)
    {
        if (Endpoint == "tcp")
        {
            return new HttpClient(new SocketsHttpHandler()) { BaseAddress = new Uri($"http://127.0.0.1:{httpAddress}") };
        }

        return new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(httpAddress), token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        {
            BaseAddress = new Uri("http://localhost"),
        };
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(StatisticColumn.Median, new MedianRatioColumn());
    }
}
