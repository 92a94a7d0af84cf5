using System.Numerics;

namespace Processional.Samples;

/// <summary>
/// The Python original's fourth example: commands from several processes reach the same server process, which holds a
/// shared resource. Process 1 starts a server (this program again, serving on a Unix socket) and initializes the
/// resource there; process 2 — here a slave process of this one, to make it a real other process — connects as a client
/// and multiplies over the same list, which never leaves the server.
/// </summary>
internal static class ServerExample
{
    public static async Task RunAsync()
    {
        var socket = $"unix:{Path.Combine(Path.GetTempPath(), $"processional-sample-{Environment.ProcessId}.sock")}";

        // In process 1: spawn the server and connect; the result is a SlaveProcess.
        await using var process = await SlaveProcess.StartServerAsync(socket);
        await process.InvokeAsync(() => { SharedResource.Heavy = Enumerable.Range(0, 1_000_000).ToList(); });
        var heavyWork1 = process.InvokeAsync(() => SharedResource.Heavy!.Sum(x => (long)x));
        Console.WriteLine("summing");
        Console.WriteLine($"sum is {await heavyWork1}");

        // In process 2: connect to the same server; the lambda runs there, where the list is.
        await using var process2 = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "process 2" });
        var product = await process2.InvokeAsync(() => Process2Async(socket));
        Console.WriteLine(product);
        Console.WriteLine($"(the server is process {process.ProcessId}; this is {Environment.ProcessId})");
    }

    /// <summary>What the second process runs: it connects as a client and sends its work to the server.</summary>
    private static async Task<string> Process2Async(string socket)
    {
        await using var client = await SlaveProcess.ConnectAsync(socket);
        var heavyWork2 = client.InvokeAsync(() => SharedResource.Heavy!.Aggregate(BigInteger.One, (product, x) => product * x));
        Console.WriteLine("multiplying");
        return $"product is {await heavyWork2} (process 2 is {Environment.ProcessId})";
    }

    /// <summary>The server's shared resource: a static field of the program, set in the server process by process 1's lambda.</summary>
    private static class SharedResource
    {
        public static List<int>? Heavy { get; set; }
    }
}
