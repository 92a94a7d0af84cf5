using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Processional.Multiplexing;
using Processional.Rpc;
using Processional.Transport;

namespace Processional.Benchmarks.Rpc;

/// <summary>
/// The other process of the RPC benchmarks: this program started with <c>--rpc-peer MUX_PATH HTTP_PATH</c>. On MUX_PATH
/// it serves Processional connections exposing a <see cref="BenchCalculator"/> as "calc", and echoes every data channel
/// (the raw channel echo baseline), inline on the reading thread; on HTTP_PATH, Kestrel serves <c>POST /add</c> with
/// System.Text.Json — the in-box way a .NET user would call another process.
/// </summary>
internal static class RpcBenchPeer
{
    public static async Task<int> RunAsync(string muxPath, string httpPath)
    {
        await using var listener = await ConnectionListener.ListenAsync(Processional.Transport.Endpoint.Unix(muxPath));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => options.ListenUnixSocket(httpPath));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, RpcBenchJsonContext.Default));
        await using var app = builder.Build();
        app.MapPost("/add", (AddRequest request) => Results.Json(request.A + request.B, RpcBenchJsonContext.Default.Int32));
        await app.StartAsync();
        Console.WriteLine("ready");

        var multiplexerOptions = new MultiplexerOptions { ReaderScheduler = PipeScheduler.Inline };
        while (true)
        {
            var connection = await listener.AcceptAsync();
            var rpc = RpcOverMultiplexer.Start(connection, null, multiplexerOptions: multiplexerOptions, configure: c => c.Expose<IBenchCalculator>("calc", new BenchCalculator()));
            _ = EchoChannelsAsync(((RpcOverMultiplexer)rpc.Transport).Multiplexer);
        }
    }

    public static Process Start(string muxPath, string httpPath)
    {
        var startInfo = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        startInfo.ArgumentList.Add(typeof(RpcBenchPeer).Assembly.Location);
        startInfo.ArgumentList.Add("--rpc-peer");
        startInfo.ArgumentList.Add(muxPath);
        startInfo.ArgumentList.Add(httpPath);
        var process = Process.Start(startInfo)!;
        if (process.StandardOutput.ReadLine() != "ready")
        {
            throw new InvalidOperationException("The RPC benchmark peer did not start.");
        }

        return process;
    }

    private static async Task EchoChannelsAsync(Multiplexer multiplexer)
    {
        try
        {
            while (true)
            {
                var channel = await multiplexer.AcceptChannelAsync();
                _ = EchoAsync(channel);
            }
        }
        catch (ConnectionLostException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
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
        catch (ConnectionLostException)
        {
        }
    }
}
