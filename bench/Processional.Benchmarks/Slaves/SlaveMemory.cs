using System.Net.Sockets;

namespace Processional.Benchmarks.Slaves;

/// <summary>
/// Idle memory of a slave process against the bare process of <see cref="HelloProcess"/> (issue 6, "Benchmark"): the
/// resident set (VmRSS) and the proportional set (Pss, which splits pages shared between processes) of each, read from
/// /proc once both are idle, over several samples.
/// dotnet run -c Release --project bench/Processional.Benchmarks -- --slave-memory
/// </summary>
internal static class SlaveMemory
{
    public static async Task<int> RunAsync()
    {
        const int Samples = 5;
        var bare = new List<(long Rss, long Pss)>();
        var slave = new List<(long Rss, long Pss)>();
        var directory = Path.Combine("/tmp", "pmem-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            for (var i = 0; i < Samples; i++)
            {
                var path = Path.Combine(directory, $"hello{i}.sock");
                using var listener = HelloProcess.Listen(path);
                var (started, socket) = await HelloProcess.StartConnectedAsync(listener, path);
                using var process = started;
                using (socket)
                {
                    await Task.Delay(500);   // idle: let the runtime finish its start-up work
                    bare.Add(Read(process.Id));
                }

                await process.WaitForExitAsync();

                await using var s = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "idle" });
                s.Invoke(() => 1);
                await Task.Delay(500);
                slave.Add(Read(s.ProcessId));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        static double Median(IEnumerable<long> values)
        {
            var sorted = values.Order().ToArray();
            return sorted[sorted.Length / 2];
        }

        var (bareRss, barePss) = (Median(bare.Select(b => b.Rss)), Median(bare.Select(b => b.Pss)));
        var (slaveRss, slavePss) = (Median(slave.Select(b => b.Rss)), Median(slave.Select(b => b.Pss)));
        Console.WriteLine($"| process        | RSS (median of {Samples}) | PSS (median of {Samples}) |");
        Console.WriteLine("|----------------|------------------|------------------|");
        Console.WriteLine($"| bare hello     | {bareRss / 1024,10:F1} MiB   | {barePss / 1024,10:F1} MiB   |");
        Console.WriteLine($"| idle slave     | {slaveRss / 1024,10:F1} MiB   | {slavePss / 1024,10:F1} MiB   |");
        Console.WriteLine($"| ratio          | {slaveRss / bareRss,10:F2}×      | {slavePss / barePss,10:F2}×      |");
        return 0;
    }

    /// <summary>VmRSS and Pss of a process, in KiB.</summary>
    private static (long Rss, long Pss) Read(int pid)
    {
        long Field(string file, string name) => File.ReadLines(file)
            .Where(l => l.StartsWith(name, StringComparison.Ordinal))
            .Select(l => long.Parse(l[name.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture))
            .First();

        return (Field($"/proc/{pid}/status", "VmRSS:"), Field($"/proc/{pid}/smaps_rollup", "Pss:"));
    }
}
