using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Processional.Benchmarks.Rpc;
using Processional.Transport;

namespace Processional.Benchmarks.Server;

/// <summary>
/// The server process of the server benchmarks: this program started with
/// <c>--server-peer unix|tcp PROCESSIONAL_ENDPOINT HTTP_ADDRESS SECRET</c>. It runs a <see cref="ProcessionalServer"/>
/// exposing a <see cref="BenchCalculator"/> as "calc" (concurrent: it is stateless), and Kestrel serving
/// <c>POST /add</c> with System.Text.Json on the same kind of endpoint.
/// </summary>
internal static class ServerBenchPeer
{
    public static async Task<int> RunAsync(string kind, string endpoint, string httpAddress, string secret)
    {
        var connection = kind == "tcp" ? new ConnectionOptions { Secret = Convert.FromBase64String(secret) } : null;
        await using var server = await ProcessionalServer.ListenAsync(endpoint, new ProcessionalServerOptions { Connection = connection });
        server.Expose<IBenchCalculator>("calc", new BenchCalculator(), Processional.Rpc.DispatchPolicy.Concurrent);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options =>
        {
            if (kind == "tcp")
            {
                options.Listen(IPAddress.Loopback, int.Parse(httpAddress, System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                options.ListenUnixSocket(httpAddress);
            }
        });
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, RpcBenchJsonContext.Default));
        await using var app = builder.Build();
        app.MapPost("/add", (AddRequest request) => Results.Json(request.A + request.B, RpcBenchJsonContext.Default.Int32));
        await app.StartAsync();
        Console.WriteLine("ready");

        // Runs until the benchmark kills it.
        await server.Completion;
        return 0;
    }

    public static Process Start(string kind, string endpoint, string httpAddress, string secret)
    {
        var startInfo = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        startInfo.ArgumentList.Add(typeof(ServerBenchPeer).Assembly.Location);
        startInfo.ArgumentList.Add("--server-peer");
        startInfo.ArgumentList.Add(kind);
        startInfo.ArgumentList.Add(endpoint);
        startInfo.ArgumentList.Add(httpAddress);
        startInfo.ArgumentList.Add(secret);
        var process = Process.Start(startInfo)!;
        if (process.StandardOutput.ReadLine() != "ready")
        {
            throw new InvalidOperationException("The server benchmark peer did not start.");
        }

        return process;
    }
}
