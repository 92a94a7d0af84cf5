namespace Processional;

/// <summary>Describes a failure that nobody observed. Raised through <see cref="UnobservedExceptions.Reported"/>.</summary>
public sealed class UnobservedExceptionEventArgs : EventArgs
{
    internal UnobservedExceptionEventArgs(Exception exception, string source)
    {
        Exception = exception;
        Source = source;
    }

    /// <summary>The exception that nobody observed.</summary>
    public Exception Exception { get; }

    /// <summary>What failed, for example <c>BackgroundThread 'loader'</c> or <c>SlaveThread 'ui'</c>.</summary>
    public string Source { get; }

    /// <summary>Whether a handler called <see cref="SetObserved"/>.</summary>
    public bool Observed { get; private set; }

    /// <summary>Marks the failure as handled: it is then not written to standard error.</summary>
    public void SetObserved() => Observed = true;
}
