using System.Numerics;

namespace Processional.Samples;

/// <summary>
/// The Python original's second example: a slave thread keeps a heavy resource alive and runs several tasks on it,
/// so that the resource is only ever touched by the thread that owns it.
/// </summary>
internal static class SlaveThreadExample
{
    public static async Task RunAsync()
    {
        using var thread = new SlaveThread("heavy");

        // Invoke blocks and returns the value; InvokeAsync queues the work and returns a task at once.
        var heavyResource = thread.Invoke(() => Enumerable.Range(0, 1_000_000).ToList());
        var heavyWork1 = thread.InvokeAsync(() => heavyResource.Sum(x => (long)x));
        var heavyWork2 = thread.InvokeAsync(() => heavyResource.Aggregate(BigInteger.One, (product, x) => product * x));
        Console.WriteLine("summing");
        Console.WriteLine("multiplying");
        Console.WriteLine($"sum is {await heavyWork1}");
        Console.WriteLine($"product is {await heavyWork2}");
    }
}
