namespace Processional;

/// <summary>Options for a <see cref="SlaveThread"/>.</summary>
public sealed class SlaveThreadOptions
{
    /// <summary>The name of the slave thread (shown in debuggers and in error reports). Default: <c>SlaveThread #n</c>.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// When <see langword="true"/>, the slave thread is a foreground thread: the process does not exit while it runs.
    /// Default: <see langword="false"/>. Ignored in pumped mode, where the slave thread is the owner's thread.
    /// </summary>
    public bool KeepsProcessAlive { get; init; }

    /// <summary>The maximum stack size of the slave thread in bytes, or 0 for the platform's default.</summary>
    public int MaxStackSize { get; init; }
}
