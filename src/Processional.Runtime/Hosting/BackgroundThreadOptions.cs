namespace Processional;

/// <summary>Options for <see cref="BackgroundThread.Run(Action, BackgroundThreadOptions?)"/> and its overloads.</summary>
public sealed class BackgroundThreadOptions
{
    /// <summary>The name given to the thread (shown in debuggers and in error reports). Default: <c>BackgroundThread #n</c>.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// When <see langword="true"/>, the thread is a foreground thread: the process does not exit while it runs.
    /// Default: <see langword="false"/>, like the thread pool's threads.
    /// </summary>
    public bool KeepsProcessAlive { get; init; }

    /// <summary>The maximum stack size of the thread in bytes, or 0 for the platform's default.</summary>
    public int MaxStackSize { get; init; }
}
