namespace Processional.Tests;

/// <summary>Timeouts for <c>[Fact(Timeout = ...)]</c>: a hang fails the test instead of blocking the run.</summary>
internal static class TestTimeouts
{
    /// <summary>For tests that only wait on in-process threads.</summary>
    public const int Short = 15_000;

    /// <summary>For tests that wait for the garbage collector or for many threads.</summary>
    public const int Long = 60_000;

    /// <summary>How long a test waits for something that should happen promptly before it gives up.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
}
