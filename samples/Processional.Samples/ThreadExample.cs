namespace Processional.Samples;

/// <summary>The Python original's first example: <c>thread(foo)</c> runs heavy work on a thread and returns its result.</summary>
internal static class ThreadExample
{
    public static Task RunAsync()
    {
        // The work starts at once on its own thread; Wait() returns its value (or re-throws its exception).
        var task = BackgroundThread.Run(Foo);
        Console.WriteLine("and the result is ...");
        Console.WriteLine(task.Wait());
        return Task.CompletedTask;
    }

    private static long HeavyWork(List<int> x) => x.Sum(v => (long)v);

    private static long Foo()
    {
        var heavyResource = Enumerable.Range(0, 1_000_000).ToList();
        return HeavyWork(heavyResource);
    }
}
