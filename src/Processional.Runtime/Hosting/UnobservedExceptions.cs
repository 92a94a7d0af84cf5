namespace Processional;

/// <summary>
/// Where Processional reports failures that no caller observed: a <see cref="BackgroundThread"/> whose failure was
/// never waited for or awaited before it was collected, or an exception thrown by work posted to a
/// <see cref="SlaveThread"/> that has nobody to report to (an <c>async void</c> method, a raw
/// <see cref="SynchronizationContext.Post"/>).
/// </summary>
/// <remarks>
/// Such failures are never silently lost: each is raised through <see cref="Reported"/> and, unless a handler calls
/// <see cref="UnobservedExceptionEventArgs.SetObserved"/> or <see cref="WriteToStandardError"/> is
/// <see langword="false"/>, written to standard error. Handlers run on the finalizer thread or on the slave thread
/// and must not block; an exception thrown by a handler is ignored.
/// </remarks>
public static class UnobservedExceptions
{
    /// <summary>Raised for each failure that nobody observed.</summary>
    public static event EventHandler<UnobservedExceptionEventArgs>? Reported;

    /// <summary>Whether failures that no handler marked as observed are written to standard error. Default: <see langword="true"/>.</summary>
    public static bool WriteToStandardError { get; set; } = true;

    internal static void Report(Exception exception, string source)
    {
        var args = new UnobservedExceptionEventArgs(exception, source);
        var handlers = Reported;
        if (handlers is not null)
        {
            foreach (EventHandler<UnobservedExceptionEventArgs> handler in handlers.GetInvocationList())
            {
                try
                {
                    handler(null, args);
                }
#pragma warning disable CA1031 // A faulty handler must not crash the finalizer thread or a slave thread.
                catch (Exception)
                {
                }
#pragma warning restore CA1031
            }
        }

        if (!args.Observed && WriteToStandardError)
        {
            try
            {
                Console.Error.WriteLine($"Processional: unobserved failure in {source}: {exception}");
            }
#pragma warning disable CA1031 // Standard error may be closed; reporting must never throw.
            catch (Exception)
            {
            }
#pragma warning restore CA1031
        }
    }
}
