using System.Numerics;

namespace Processional.Samples;

/// <summary>
/// The Python original's third example: the same as the slave thread's, but in another process. The heavy resource is
/// built and kept in the slave (WrapAsync); the lambdas that use it run there too, where the handle is the live list.
/// </summary>
internal static class SlaveProcessExample
{
    public static async Task RunAsync()
    {
        await using var process = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "heavy" });

        var heavyResource = await process.WrapAsync(() => Enumerable.Range(0, 1_000_000).ToList());
        var heavyWork1 = process.InvokeAsync(() => heavyResource.Value.Sum(x => (long)x));
        var heavyWork2 = process.InvokeAsync(() => heavyResource.Value.Aggregate(BigInteger.One, (product, x) => product * x));
        Console.WriteLine("summing");
        Console.WriteLine("multiplying");
        Console.WriteLine($"sum is {await heavyWork1}");
        Console.WriteLine($"product is {await heavyWork2}");
        Console.WriteLine($"(computed in process {await process.InvokeAsync(() => Environment.ProcessId)}, this one is {Environment.ProcessId})");
    }
}
