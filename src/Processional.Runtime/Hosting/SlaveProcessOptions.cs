using Microsoft.Extensions.Logging;

namespace Processional;

/// <summary>Options of <see cref="SlaveProcess.StartAsync(SlaveProcessOptions?, CancellationToken)"/>.</summary>
public sealed class SlaveProcessOptions
{
    /// <summary>The defaults.</summary>
    public static SlaveProcessOptions Default { get; } = new();

    /// <summary>The slave's name, used in error messages and as the prefix of its forwarded output. Default: <c>slave-&lt;pid&gt;</c>.</summary>
    public string? Name { get; init; }

    /// <summary>Environment variables to set (a <see langword="null"/> value removes one) in the slave, on top of this process's.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>The slave's working directory. Default: this process's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>How long the slave may take to start and connect before <c>StartAsync</c> fails. Default: 30 seconds.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long <see cref="SlaveProcess.DisposeAsync"/> waits for the slave to stop by itself before killing it.
    /// Default: 5 seconds.
    /// </summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether disposing the slave cancels the calls in flight (their cancellation tokens fire) instead of letting them
    /// finish within <see cref="StopTimeout"/>. Default: <see langword="false"/>.
    /// </summary>
    public bool CancelCallsOnStop { get; init; }

    /// <summary>Where the slave's standard output and error go. Default: <see cref="SlaveOutput.Forward"/>.</summary>
    public SlaveOutput Output { get; init; } = SlaveOutput.Forward;

    /// <summary>With <see cref="SlaveOutput.Logger"/>: the logger that receives each line (standard error as warnings).</summary>
    public ILogger? Logger { get; init; }

    /// <summary>How many of the last lines the slave wrote to standard error are kept for a crash report. Default: 20.</summary>
    public int StandardErrorTail { get; init; } = 20;

    /// <summary>
    /// Arrays of unmanaged values of at least this many bytes, passed to or returned from the slave, travel through shared
    /// memory instead of the socket (one copy on each side; the receiver still gets an ordinary array). Default: 64 KiB;
    /// <see langword="null"/> sends every array through the socket. See <c>docs/shared-memory.md</c>.
    /// </summary>
    public int? SharedArrayThreshold { get; init; } = SharedArena.DefaultThreshold;

    /// <summary>
    /// How the process is started as the same program: directly through Processional's entry point where possible
    /// (the fastest), or through a startup hook. Default: <see cref="SlaveStartMode.Automatic"/>.
    /// </summary>
    public SlaveStartMode StartMode { get; init; }
}
