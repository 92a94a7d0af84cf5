using Processional.Transport;

namespace Processional;

/// <summary>
/// A slave process ended while calls to it were pending, or failed to start: it crashed, was killed, or exited. Carries
/// its exit code, the signal that killed it (on Unix) and the last lines it wrote to standard error. It is a
/// <see cref="ConnectionLostException"/>: the connection to the slave is lost with it.
/// </summary>
public sealed class SlaveCrashedException : ConnectionLostException
{
    /// <summary>Creates an exception with no details.</summary>
    public SlaveCrashedException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message.</param>
    public SlaveCrashedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SlaveCrashedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal SlaveCrashedException(string slaveName, int? exitCode, IReadOnlyList<string> standardErrorTail, string what, Exception? innerException)
        : base(Describe(slaveName, exitCode, standardErrorTail, what), innerException)
    {
        SlaveName = slaveName;
        ExitCode = exitCode;
        Signal = exitCode is > 128 and < 128 + 65 && !OperatingSystem.IsWindows() ? exitCode - 128 : null;
        StandardErrorTail = standardErrorTail;
    }

    /// <summary>The slave's name.</summary>
    public string? SlaveName { get; }

    /// <summary>The slave's exit code, when it exited (on Unix, 128 + the signal when a signal killed it).</summary>
    public int? ExitCode { get; }

    /// <summary>The signal that killed the slave (Unix), such as 9 for <c>SIGKILL</c>.</summary>
    public int? Signal { get; }

    /// <summary>The last lines the slave wrote to standard error.</summary>
    public IReadOnlyList<string> StandardErrorTail { get; } = [];

    private static string Describe(string slaveName, int? exitCode, IReadOnlyList<string> tail, string what)
    {
        var how = exitCode switch
        {
            null => "its connection was lost while it was still running",
            > 128 and < 128 + 65 when !OperatingSystem.IsWindows() => $"it was killed by signal {exitCode - 128}{SignalName(exitCode.Value - 128)} (exit code {exitCode})",
            _ => $"it exited with code {exitCode}",
        };
        var message = $"Slave '{slaveName}' {what}: {how}.";
        if (tail.Count > 0)
        {
            message += $"{Environment.NewLine}Last lines of its standard error:{Environment.NewLine}  {string.Join($"{Environment.NewLine}  ", tail)}";
        }

        return message;
    }

    private static string SignalName(int signal) => signal switch
    {
        6 => " (SIGABRT)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        15 => " (SIGTERM)",
        _ => string.Empty,
    };
}
