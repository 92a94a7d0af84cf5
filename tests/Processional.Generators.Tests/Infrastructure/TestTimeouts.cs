namespace Processional.Generators.Tests.Infrastructure;

/// <summary>Timeouts for <c>[Fact(Timeout = ...)]</c>: a hang fails the test instead of blocking the run.</summary>
internal static class TestTimeouts
{
    /// <summary>For a test that compiles and runs the generator a few times.</summary>
    public const int Compile = 60_000;
}
