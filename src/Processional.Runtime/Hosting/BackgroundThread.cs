using System.Runtime.CompilerServices;

namespace Processional;

/// <summary>
/// Work running on its own dedicated thread, started at once, whose outcome is collected with <see cref="Wait()"/>
/// or <c>await</c>. Created by <see cref="Run(Action, BackgroundThreadOptions?)"/> and its overloads.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Wait()"/> re-throws the exception that the work threw, with its original stack trace, every time it is
/// called. <see cref="Interrupt"/> cancels the token handed to the work and interrupts its blocking waits.
/// </para>
/// <para>
/// A failure that nobody observes (no <see cref="Wait()"/>, no <c>await</c>, no use of <see cref="Task"/>) is
/// reported through <see cref="UnobservedExceptions.Reported"/> and, by default, to standard error, once the
/// <see cref="BackgroundThread"/> is collected.
/// </para>
/// </remarks>
public abstract class BackgroundThread
{
    private const int StateRunning = 0;
    private const int StateInterrupting = 1;
    private const int StateInterrupted = 2;
    private const int StateDone = 3;

    private static int s_counter;

    private readonly Thread _thread;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly Task _task;
    private int _state;
    private int _observed;

    private protected BackgroundThread(Task task, BackgroundThreadOptions? options)
    {
        _task = task;
        _thread = new Thread(static self => ((BackgroundThread)self!).Execute(), options?.MaxStackSize ?? 0)
        {
            IsBackground = !(options?.KeepsProcessAlive ?? false),
            Name = options?.Name ?? $"BackgroundThread #{Interlocked.Increment(ref s_counter)}",
        };
    }

    /// <summary>Starts <paramref name="work"/> on a new dedicated thread and returns without waiting for it.</summary>
    /// <typeparam name="T">The type of the value the work returns.</typeparam>
    /// <param name="work">The work to run.</param>
    /// <param name="options">Name and lifetime of the thread; <see langword="null"/> for the defaults.</param>
    /// <returns>The running work, whose value <see cref="BackgroundThread{T}.Wait()"/> returns.</returns>
    public static BackgroundThread<T> Run<T>(Func<T> work, BackgroundThreadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Start(new BackgroundThread<T>(work, options));
    }

    /// <summary>
    /// Starts <paramref name="work"/> on a new dedicated thread and returns without waiting for it. The token handed
    /// to the work is cancelled by <see cref="Interrupt"/>.
    /// </summary>
    /// <typeparam name="T">The type of the value the work returns.</typeparam>
    /// <param name="work">The work to run; it receives a token cancelled by <see cref="Interrupt"/>.</param>
    /// <param name="options">Name and lifetime of the thread; <see langword="null"/> for the defaults.</param>
    /// <returns>The running work, whose value <see cref="BackgroundThread{T}.Wait()"/> returns.</returns>
    public static BackgroundThread<T> Run<T>(Func<CancellationToken, T> work, BackgroundThreadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Start(new BackgroundThread<T>(work, options));
    }

    /// <summary>Starts <paramref name="work"/> on a new dedicated thread and returns without waiting for it.</summary>
    /// <param name="work">The work to run.</param>
    /// <param name="options">Name and lifetime of the thread; <see langword="null"/> for the defaults.</param>
    /// <returns>The running work; <see cref="Wait()"/> returns when it is done.</returns>
    public static BackgroundThread Run(Action work, BackgroundThreadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Start(new ActionBackgroundThread(work, options));
    }

    /// <summary>
    /// Starts <paramref name="work"/> on a new dedicated thread and returns without waiting for it. The token handed
    /// to the work is cancelled by <see cref="Interrupt"/>.
    /// </summary>
    /// <param name="work">The work to run; it receives a token cancelled by <see cref="Interrupt"/>.</param>
    /// <param name="options">Name and lifetime of the thread; <see langword="null"/> for the defaults.</param>
    /// <returns>The running work; <see cref="Wait()"/> returns when it is done.</returns>
    public static BackgroundThread Run(Action<CancellationToken> work, BackgroundThreadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Start(new ActionBackgroundThread(work, options));
    }

    /// <summary>The dedicated thread that runs the work.</summary>
    public Thread Thread => _thread;

    /// <summary>The thread's name.</summary>
    public string Name => _thread.Name!;

    /// <summary>Whether the work is done: it returned, threw, or was interrupted.</summary>
    public bool IsCompleted => _task.IsCompleted;

    /// <summary>
    /// A task that completes with the work's outcome. Using it counts as observing the outcome: an unobserved failure
    /// of this task is then reported by <see cref="TaskScheduler.UnobservedTaskException"/>, not by this class.
    /// </summary>
    public Task Task
    {
        get
        {
            MarkObserved();
            return _task;
        }
    }

    /// <summary>Whether <see cref="Interrupt"/> was called before the work finished.</summary>
    public bool IsInterruptRequested => _cancellation.IsCancellationRequested;

    /// <summary>
    /// Blocks until the work is done. Re-throws the exception the work threw, with its original stack trace, or an
    /// <see cref="OperationCanceledException"/> when the work was interrupted; calling it again re-throws the same.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from the background thread itself, which would never return.</exception>
    public void Wait()
    {
        WaitCore(Timeout.InfiniteTimeSpan);
        _task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Blocks until the work is done or <paramref name="timeout"/> has passed. On timeout the work keeps running and a
    /// later call can still collect its outcome.
    /// </summary>
    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.</param>
    /// <exception cref="TimeoutException">The work was not done within <paramref name="timeout"/>.</exception>
    public void Wait(TimeSpan timeout)
    {
        WaitCore(timeout);
        _task.GetAwaiter().GetResult();
    }

    /// <summary>Gets an awaiter, so that <c>await job</c> waits for the work and re-throws its exception.</summary>
    /// <returns>The awaiter of <see cref="Task"/>.</returns>
    public TaskAwaiter GetAwaiter() => Task.GetAwaiter();

    /// <summary>Configures how <c>await</c> resumes, as <see cref="System.Threading.Tasks.Task.ConfigureAwait(bool)"/> does.</summary>
    /// <param name="continueOnCapturedContext">Whether to resume on the captured context.</param>
    /// <returns>An awaitable for the work.</returns>
    public ConfiguredTaskAwaitable ConfigureAwait(bool continueOnCapturedContext) => Task.ConfigureAwait(continueOnCapturedContext);

    /// <summary>
    /// Asks the work to stop: cancels the token handed to it and interrupts the thread's blocking waits
    /// (<see cref="Thread.Interrupt"/>: a <see cref="ThreadInterruptedException"/> is thrown at the current or next
    /// blocking wait, sleep or join). Work that ends because of it makes <see cref="Wait()"/> throw an
    /// <see cref="OperationCanceledException"/>; work that finishes anyway reports its own outcome. Does nothing once
    /// the work is done.
    /// </summary>
    public void Interrupt()
    {
        if (Volatile.Read(ref _state) != StateRunning)
        {
            return;
        }

        try
        {
            _cancellation.Cancel();
        }
        catch (AggregateException)
        {
            // Exceptions of the work's own token callbacks belong to the work; the interruption still proceeds.
        }

        if (Interlocked.CompareExchange(ref _state, StateInterrupting, StateRunning) == StateRunning)
        {
            _thread.Interrupt();
            Volatile.Write(ref _state, StateInterrupted);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"BackgroundThread '{Name}' ({_task.Status})";

    private protected static TJob Start<TJob>(TJob job)
        where TJob : BackgroundThread
    {
        job._thread.Start(job);
        return job;
    }

    private protected void MarkObserved()
    {
        if (Interlocked.Exchange(ref _observed, 1) == 0)
        {
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>Runs the work on the dedicated thread.</summary>
    private protected abstract void RunWork(CancellationToken cancellationToken);

    /// <summary>Completes the task with the work's outcome (the result is kept by the derived class).</summary>
    private protected abstract void CompleteTask(Exception? failure, CancellationToken canceledBy);

    private void Execute()
    {
        Exception? failure = null;
        try
        {
            RunWork(_cancellation.Token);
        }
#pragma warning disable CA1031 // The work's exception is its outcome: it is handed to Wait(), never lost.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex;
        }

        // Settle the interrupt state machine before completing: a pending Thread.Interrupt must not fire later in
        // this thread's epilogue (for example in a lock taken while completing the task).
        var spinner = default(SpinWait);
        int state;
        while (true)
        {
            state = Volatile.Read(ref _state);
            if (state == StateInterrupting)
            {
                // Interrupt() is between its check and Thread.Interrupt(): let it finish, then consume what it sent.
                spinner.SpinOnce();
            }
            else if (Interlocked.CompareExchange(ref _state, StateDone, state) == state)
            {
                break;
            }
        }

        if (state == StateInterrupted)
        {
            try
            {
                Thread.Sleep(0);
            }
            catch (ThreadInterruptedException)
            {
                // Consumed the interrupt that the work never reached.
            }
        }

        var canceled = failure is not null
            && _cancellation.IsCancellationRequested
            && failure is OperationCanceledException or ThreadInterruptedException;
        CompleteTask(failure, canceled ? _cancellation.Token : default);

        if (failure is null || canceled)
        {
            // Nothing to report for success or a requested interruption: the finalizer is only for unobserved failures.
            GC.SuppressFinalize(this);
        }
    }

    private void WaitCore(TimeSpan timeout)
    {
        MarkObserved();
        if (_task.IsCompleted)
        {
            return;
        }

        if (Environment.CurrentManagedThreadId == _thread.ManagedThreadId)
        {
            throw new InvalidOperationException($"{this} cannot wait for itself: Wait() was called from its own thread.");
        }

        bool completed;
        try
        {
            completed = _task.Wait(timeout);
        }
        catch (AggregateException)
        {
            // Faulted or canceled: the caller re-throws the original exception through the awaiter.
            completed = true;
        }

        if (!completed)
        {
            throw new TimeoutException($"{this} did not finish within {timeout}; it is still running.");
        }
    }

    /// <summary>Reports a failure that nobody observed.</summary>
    ~BackgroundThread()
    {
        if (Volatile.Read(ref _observed) == 0 && _task.IsFaulted)
        {
            // Reading Exception marks the task's own exception as observed: report it once, here.
            var exception = _task.Exception!.InnerExceptions.Count == 1 ? _task.Exception.InnerException! : _task.Exception;
            UnobservedExceptions.Report(exception, $"BackgroundThread '{_thread.Name}'");
        }
    }
}
