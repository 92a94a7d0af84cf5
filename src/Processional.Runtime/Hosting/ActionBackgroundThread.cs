namespace Processional;

/// <summary>A <see cref="BackgroundThread"/> running an <see cref="Action"/> or an <see cref="Action{CancellationToken}"/>.</summary>
internal sealed class ActionBackgroundThread : BackgroundThread
{
    private readonly TaskCompletionSource _source;
    private Delegate? _work;

    internal ActionBackgroundThread(Delegate work, BackgroundThreadOptions? options)
        : this(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), work, options)
    {
    }

    private ActionBackgroundThread(TaskCompletionSource source, Delegate work, BackgroundThreadOptions? options)
        : base(source.Task, options)
    {
        _source = source;
        _work = work;
    }

    private protected override void RunWork(CancellationToken cancellationToken)
    {
        // Drop the delegate once it ran, so that a finished job does not keep the work's captures alive.
        var work = _work;
        _work = null;
        if (work is Action<CancellationToken> withToken)
        {
            withToken(cancellationToken);
        }
        else
        {
            ((Action)work!)();
        }
    }

    private protected override void CompleteTask(Exception? failure, CancellationToken canceledBy)
    {
        if (canceledBy.IsCancellationRequested)
        {
            _source.TrySetCanceled(canceledBy);
        }
        else if (failure is not null)
        {
            _source.TrySetException(failure);
        }
        else
        {
            _source.TrySetResult();
        }
    }
}
