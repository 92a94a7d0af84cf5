namespace Processional.Tests;

/// <summary>Drives the garbage collector until a condition holds, or fails after <see cref="TestTimeouts.Patience"/>.</summary>
internal static class GcHelper
{
    public static async Task CollectUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for the garbage collector: {what}.");
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();

            // Finalizers and thread exits run on other threads: give them a moment between collections.
            await Task.Yield();
            await Task.Delay(10);
        }
    }
}
