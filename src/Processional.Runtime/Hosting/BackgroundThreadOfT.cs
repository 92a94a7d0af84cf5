using System.Runtime.CompilerServices;

namespace Processional;

/// <summary>
/// Work running on its own dedicated thread that produces a value of type <typeparamref name="T"/>. Created by
/// <see cref="BackgroundThread.Run{T}(Func{T}, BackgroundThreadOptions?)"/>.
/// </summary>
/// <typeparam name="T">The type of the value the work returns.</typeparam>
public sealed class BackgroundThread<T> : BackgroundThread
{
    private readonly TaskCompletionSource<T> _source;
    private Delegate? _work;
    private T? _value;

    internal BackgroundThread(Delegate work, BackgroundThreadOptions? options)
        : this(new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously), work, options)
    {
    }

    private BackgroundThread(TaskCompletionSource<T> source, Delegate work, BackgroundThreadOptions? options)
        : base(source.Task, options)
    {
        _source = source;
        _work = work;
    }

    /// <summary>
    /// A task that completes with the work's value. Using it counts as observing the outcome: an unobserved failure
    /// of this task is then reported by <see cref="TaskScheduler.UnobservedTaskException"/>, not by this class.
    /// </summary>
    public new Task<T> Task
    {
        get
        {
            MarkObserved();
            return _source.Task;
        }
    }

    /// <summary>
    /// Blocks until the work is done and returns its value. Re-throws the exception the work threw, with its original
    /// stack trace, or an <see cref="OperationCanceledException"/> when the work was interrupted; calling it again
    /// returns the same value or re-throws the same exception.
    /// </summary>
    /// <returns>The value the work returned.</returns>
    /// <exception cref="InvalidOperationException">Called from the background thread itself, which would never return.</exception>
    public new T Wait()
    {
        base.Wait();
        return _source.Task.Result;
    }

    /// <summary>
    /// Blocks until the work is done or <paramref name="timeout"/> has passed, and returns its value. On timeout the
    /// work keeps running and a later call can still collect its value.
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <returns>The value the work returned.</returns>
    /// <exception cref="TimeoutException">The work was not done within <paramref name="timeout"/>.</exception>
    public new T Wait(TimeSpan timeout)
    {
        base.Wait(timeout);
        return _source.Task.Result;
    }

    /// <summary>Gets an awaiter, so that <c>await job</c> returns the work's value or re-throws its exception.</summary>
    /// <returns>The awaiter of <see cref="Task"/>.</returns>
    public new TaskAwaiter<T> GetAwaiter() => Task.GetAwaiter();

    /// <summary>Configures how <c>await</c> resumes, as <see cref="Task{TResult}.ConfigureAwait(bool)"/> does.</summary>
    /// <param name="continueOnCapturedContext">Whether to resume on the captured context.</param>
    /// <returns>An awaitable for the work's value.</returns>
    public new ConfiguredTaskAwaitable<T> ConfigureAwait(bool continueOnCapturedContext) => Task.ConfigureAwait(continueOnCapturedContext);

    private protected override void RunWork(CancellationToken cancellationToken)
    {
        // Drop the delegate once it ran, so that a finished job does not keep the work's captures alive.
        var work = _work;
        _work = null;
        _value = work is Func<CancellationToken, T> withToken ? withToken(cancellationToken) : ((Func<T>)work!)();
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
            _source.TrySetResult(_value!);
            _value = default;
        }
    }
}
