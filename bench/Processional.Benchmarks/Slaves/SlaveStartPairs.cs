using System.Diagnostics;
using System.Net.Sockets;

namespace Processional.Benchmarks.Slaves;

/// <summary>
/// Spawn to first call measured in pairs: each round starts the bare process of <see cref="HelloProcess"/> and then a
/// slave (<c>StartAsync</c> + one <c>Invoke</c>), back to back, and the ratio of the two is taken per round. This VM
/// flips between a fast and a slow mode; BenchmarkDotNet's <c>SlaveStartBenchmarks</c> runs all of one case before the
/// other, so a flip between them moves its ratio, while a pair is measured within a few hundred milliseconds.
/// Reports the medians of both and the median of the per-round ratios.
/// dotnet run -c Release --project bench/Processional.Benchmarks -- --slave-start-pairs [ROUNDS]
/// </summary>
internal static class SlaveStartPairs
{
    public static async Task<int> RunAsync(int rounds)
    {
        const int Warmup = 3;
        var bare = new List<double>();
        var slave = new List<double>();
        var ratios = new List<double>();
        var directory = Path.Combine("/tmp", "ppair-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            for (var round = 0; round < Warmup + rounds; round++)
            {
                var bareTime = await BareAsync(Path.Combine(directory, $"hello{round}.sock"));
                var slaveTime = await SlaveAsync();
                if (round >= Warmup)
                {
                    bare.Add(bareTime);
                    slave.Add(slaveTime);
                    ratios.Add(slaveTime / bareTime);
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        static double Median(List<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        Console.WriteLine($"| spawn to first call ({rounds} pairs) | median | ");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| bare dotnet hello.dll connecting back | {Median(bare):F1} ms |");
        Console.WriteLine($"| SlaveProcess.StartAsync + Invoke | {Median(slave):F1} ms |");
        Console.WriteLine($"| ratio of the medians | {Median(slave) / Median(bare):F2}× |");
        Console.WriteLine($"| median of the per-pair ratios | {Median(ratios):F2}× |");
        return 0;
    }

    private static async Task<double> BareAsync(string path)
    {
        using var listener = HelloProcess.Listen(path);
        var clock = Stopwatch.StartNew();
        var (process, socket) = await HelloProcess.StartConnectedAsync(listener, path);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        using var connection = socket;
        using (process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        File.Delete(path);
        return elapsed;
    }

    private static async Task<double> SlaveAsync()
    {
        var clock = Stopwatch.StartNew();
        var slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "paired" });
        _ = slave.Invoke(() => 1);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        slave.Kill();
        await slave.DisposeAsync();
        return elapsed;
    }
}
