namespace Processional;

/// <summary>Where a slave process's standard output and error go.</summary>
public enum SlaveOutput
{
    /// <summary>Forwarded line by line to this process's standard output and error, each line prefixed with <c>[name]</c>.</summary>
    Forward = 0,

    /// <summary>Written line by line to <see cref="SlaveProcessOptions.Logger"/>.</summary>
    Logger = 1,

    /// <summary>Read and dropped (the last lines of standard error are still kept for crash reports).</summary>
    Discard = 2,
}
