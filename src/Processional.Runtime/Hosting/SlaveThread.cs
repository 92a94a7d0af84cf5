namespace Processional;

/// <summary>
/// A dedicated thread that owns objects and runs the work sent to it, one item at a time, in the order it was sent.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Invoke{T}(Func{T})"/> blocks until the work ran and returns its value (or re-throws its exception with
/// the original stack trace); <see cref="InvokeAsync{T}(Func{T}, CancellationToken)"/> returns a task at once. Called
/// from the slave thread itself, <see cref="Invoke{T}(Func{T})"/> runs the work inline instead of dead-locking.
/// </para>
/// <para>
/// The slave thread installs its own <see cref="SynchronizationContext"/>: the continuations of an <c>async</c>
/// lambda come back to it, so an object created there is only ever touched there.
/// </para>
/// <para>
/// <see cref="Dispose"/> lets the work already queued finish, refuses new work with
/// <see cref="ObjectDisposedException"/>, and waits for the thread to exit. A <see cref="SlaveThread"/> that is
/// dropped without being disposed stops its thread once it is collected.
/// </para>
/// <para>
/// In pumped mode (<see cref="CreatePumped"/>), no thread is created: the thread that already runs a loop (a UI or a
/// game loop) owns the work and runs it when it calls <see cref="RunPending"/>.
/// </para>
/// </remarks>
public sealed class SlaveThread : IDisposable, IAsyncDisposable
{
    private static int s_counter;

    private readonly SlaveThreadCore _core;

    /// <summary>Starts a slave thread with a default name.</summary>
    public SlaveThread()
        : this(options: null)
    {
    }

    /// <summary>Starts a slave thread with the given name.</summary>
    /// <param name="name">The thread's name, shown in debuggers and error reports.</param>
    public SlaveThread(string name)
        : this(new SlaveThreadOptions { Name = name ?? throw new ArgumentNullException(nameof(name)) })
    {
    }

    /// <summary>Starts a slave thread with the given options.</summary>
    /// <param name="options">Name and lifetime of the thread; <see langword="null"/> for the defaults.</param>
    public SlaveThread(SlaveThreadOptions? options)
    {
        _core = new SlaveThreadCore(options?.Name ?? DefaultName(), pumped: false);
        _core.StartDedicated(options);
    }

    private SlaveThread(SlaveThreadCore core) => _core = core;

    /// <summary>The slave thread's name.</summary>
    public string Name => _core.Name;

    /// <summary>The thread that runs the work: the dedicated thread, or the owner thread in pumped mode.</summary>
    public Thread Thread => _core.Thread!;

    /// <summary>Whether the work runs only when the owner thread calls <see cref="RunPending"/>.</summary>
    public bool IsPumped => _core.IsPumped;

    /// <summary>Whether the caller is running on the slave thread.</summary>
    public bool IsCurrentThread => _core.IsCurrentThread;

    /// <summary>How many items are queued and not yet started.</summary>
    public int PendingCount => _core.PendingCount;

    /// <summary>A task scheduler that runs tasks on the slave thread, in the same queue as <see cref="InvokeAsync{T}(Func{T}, CancellationToken)"/>.</summary>
    public TaskScheduler Scheduler => _core.Scheduler;

    /// <summary>The synchronization context installed on the slave thread.</summary>
    public SynchronizationContext SynchronizationContext => _core.Context;

    /// <summary>Completes once the slave thread has run its last item and exited.</summary>
    public Task Completion => _core.Completion;

    /// <summary>
    /// Creates a slave thread in pumped mode: the calling thread becomes its owner, no thread is created, and queued
    /// work runs only when the owner calls <see cref="RunPending"/> from its own loop.
    /// </summary>
    /// <param name="name">The slave thread's name; <see langword="null"/> for a default name.</param>
    /// <returns>A slave thread whose work runs on the calling thread.</returns>
    public static SlaveThread CreatePumped(string? name = null)
    {
        var core = new SlaveThreadCore(name ?? DefaultName(), pumped: true);
        core.AttachToCurrentThread();
        return new SlaveThread(core);
    }

    /// <summary>A slave thread whose loop the caller will run on its own thread with <see cref="RunLoopHere"/>.</summary>
    internal static SlaveThread CreateForCurrentThread(string name) => new(new SlaveThreadCore(name, pumped: false));

    /// <summary>Runs the loop on the calling thread until the slave thread is disposed.</summary>
    internal void RunLoopHere() => _core.RunLoopOnCurrentThread();

    /// <summary>Stops accepting public work without waiting (the loop drains what is queued, then exits).</summary>
    internal void RequestStopInternal() => _core.RequestStop();

    /// <summary>Queues runtime-internal work; false once the thread has exited.</summary>
    internal bool TryPost(IThreadPoolWorkItem work) => _core.TryEnqueue(work, acceptWhileStopping: true);

    /// <summary>
    /// Runs <paramref name="func"/> on the slave thread, waits for it, and returns its value. Re-throws the exception
    /// it threw, with its original stack trace. Runs inline when called from the slave thread.
    /// </summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="func">The work to run.</param>
    /// <returns>The value <paramref name="func"/> returned.</returns>
    /// <exception cref="ObjectDisposedException">The slave thread is disposed.</exception>
    public T Invoke<T>(Func<T> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        return _core.IsCurrentThread ? func() : SlaveSyncFuncItem<T>.Invoke(_core, func, CancellationToken.None);
    }

    /// <summary>
    /// Runs <paramref name="func"/> on the slave thread, waits for it, and returns its value. If
    /// <paramref name="cancellationToken"/> is canceled before the work started, the work never runs and an
    /// <see cref="OperationCanceledException"/> is thrown; work that started runs to its end.
    /// </summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="func">The work to run.</param>
    /// <param name="cancellationToken">Cancels the work while it waits in the queue.</param>
    /// <returns>The value <paramref name="func"/> returned.</returns>
    /// <exception cref="ObjectDisposedException">The slave thread is disposed.</exception>
    /// <exception cref="OperationCanceledException">The token was canceled before the work started.</exception>
    public T Invoke<T>(Func<T> func, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(func);
        cancellationToken.ThrowIfCancellationRequested();
        return _core.IsCurrentThread ? func() : SlaveSyncFuncItem<T>.Invoke(_core, func, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the slave thread and waits for it. Re-throws the exception it threw, with its
    /// original stack trace. Runs inline when called from the slave thread.
    /// </summary>
    /// <param name="action">The work to run.</param>
    /// <exception cref="ObjectDisposedException">The slave thread is disposed.</exception>
    public void Invoke(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (_core.IsCurrentThread)
        {
            action();
        }
        else
        {
            SlaveSyncActionItem.Invoke(_core, action, CancellationToken.None);
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the slave thread and waits for it. If <paramref name="cancellationToken"/> is
    /// canceled before the work started, it never runs and an <see cref="OperationCanceledException"/> is thrown.
    /// </summary>
    /// <param name="action">The work to run.</param>
    /// <param name="cancellationToken">Cancels the work while it waits in the queue.</param>
    /// <exception cref="ObjectDisposedException">The slave thread is disposed.</exception>
    /// <exception cref="OperationCanceledException">The token was canceled before the work started.</exception>
    public void Invoke(Action action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        cancellationToken.ThrowIfCancellationRequested();
        if (_core.IsCurrentThread)
        {
            action();
        }
        else
        {
            SlaveSyncActionItem.Invoke(_core, action, cancellationToken);
        }
    }

    /// <summary>
    /// Queues <paramref name="func"/> to run on the slave thread and returns at once with a task of its value. If
    /// <paramref name="cancellationToken"/> is canceled before the work started, the work never runs and the task is
    /// canceled.
    /// </summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="func">The work to run.</param>
    /// <param name="cancellationToken">Cancels the work while it waits in the queue.</param>
    /// <returns>A task that completes with the value, or faults with the exception, of <paramref name="func"/>.</returns>
    /// <exception cref="ObjectDisposedException">The slave thread is disposed.</exception>
    public Task<T> InvokeAsync<T>(Func<T> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return SlaveAsyncItem<T>.Queue(_core, func, SlaveAsyncItem<T>.Kind.Func, cancellationToken);
    }

    /// <summary>
    /// Queues <paramref name="action"/> to run on the slave thread and returns at once with a task. If
    /// <paramref name="cancellationToken"/> is canceled before the work started, it never runs and the task is canceled.
    /// </summary>
    /// <param name="action">The work to run.</param>
    /// <param name="cancellationToken">Cancels the work while it waits in the queue.</param>
    /// <returns>A task that completes when <paramref name="action"/> ran, or faults with its exception.</returns>
    /// <exception cref="ObjectDisposedException">The slave thread is disposed.</exception>
    public Task InvokeAsync(Action action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        return SlaveAsyncItem<object?>.Queue(_core, action, SlaveAsyncItem<object?>.Kind.Action, cancellationToken);
    }

    /// <summary>
    /// Queues the <c>async</c> work <paramref name="func"/> to start on the slave thread and returns at once with a task
    /// of its value. Its continuations come back to the slave thread; the slave thread does not exit while it is in
    /// flight.
    /// </summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="func">The work to run.</param>
    /// <param name="cancellationToken">Cancels the work while it waits in the queue.</param>
    /// <returns>A task that completes with the value, or faults with the exception, of the task <paramref name="func"/> returned.</returns>
    /// <exception cref="ObjectDisposedException">The slave thread is disposed.</exception>
    public Task<T> InvokeAsync<T>(Func<Task<T>> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return SlaveAsyncItem<T>.Queue(_core, func, SlaveAsyncItem<T>.Kind.AsyncFunc, cancellationToken);
    }

    /// <summary>
    /// Queues the <c>async</c> work <paramref name="func"/> to start on the slave thread and returns at once with a task.
    /// Its continuations come back to the slave thread; the slave thread does not exit while it is in flight.
    /// </summary>
    /// <param name="func">The work to run.</param>
    /// <param name="cancellationToken">Cancels the work while it waits in the queue.</param>
    /// <returns>A task that completes when the task <paramref name="func"/> returned completes.</returns>
    /// <exception cref="ObjectDisposedException">The slave thread is disposed.</exception>
    public Task InvokeAsync(Func<Task> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return SlaveAsyncItem<object?>.Queue(_core, func, SlaveAsyncItem<object?>.Kind.AsyncAction, cancellationToken);
    }

    /// <summary>
    /// Pumped mode: runs the work queued so far on the calling thread, which must be the owner. Continuations that this
    /// work queues run at the next call, so a loop that pumps once per iteration never stalls here.
    /// </summary>
    /// <returns>How many items ran.</returns>
    /// <exception cref="InvalidOperationException">Not in pumped mode, not called from the owner thread, or called from work it is running.</exception>
    public int RunPending()
    {
        if (!_core.IsPumped)
        {
            throw new InvalidOperationException($"{_core.Source} runs its own thread; RunPending() is only for a slave thread created by CreatePumped().");
        }

        return _core.RunPending();
    }

    /// <summary>
    /// Stops the slave thread: work queued before completes, later calls throw <see cref="ObjectDisposedException"/>,
    /// and this method returns once the thread has exited. Called from the slave thread itself, it only stops accepting
    /// work and returns (the thread exits when the current item and the queue are done). In pumped mode, called by the
    /// owner outside <see cref="RunPending"/>, it runs what is left; called from another thread, it returns at once and
    /// the owner's next <see cref="RunPending"/> runs what is left.
    /// </summary>
    public void Dispose()
    {
        GC.SuppressFinalize(this);
        _core.RequestStop();
        if (_core.IsCurrentThread)
        {
            if (_core.IsPumped && !_core.IsPumping)
            {
                _core.DrainPumped();
            }

            return;
        }

        if (!_core.IsPumped)
        {
            _core.Thread!.Join();
        }
    }

    /// <summary>
    /// Stops the slave thread: work queued before completes, later calls throw <see cref="ObjectDisposedException"/>,
    /// and the returned task completes once the thread has exited (in pumped mode: once the owner ran what was left).
    /// Called from the slave thread itself, it only stops accepting work.
    /// </summary>
    /// <returns>A task that completes once the slave thread has exited.</returns>
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        _core.RequestStop();
        if (_core.IsCurrentThread)
        {
            if (_core.IsPumped && !_core.IsPumping)
            {
                _core.DrainPumped();
            }

            return ValueTask.CompletedTask;
        }

        return _core.IsPumped ? new ValueTask(_core.Completion) : JoinAsync(_core);

        static async ValueTask JoinAsync(SlaveThreadCore core)
        {
            await core.Completion.ConfigureAwait(false);

            // The loop has returned; the join only covers the last instructions of the thread's exit.
            core.Thread!.Join();
        }
    }

    /// <inheritdoc/>
    public override string ToString() => _core.Source;

    private static string DefaultName() => $"SlaveThread #{Interlocked.Increment(ref s_counter)}";

    /// <summary>Stops the slave thread of a <see cref="SlaveThread"/> that was dropped without being disposed.</summary>
    ~SlaveThread() => _core?.RequestStop(); // null when a constructor threw
}
