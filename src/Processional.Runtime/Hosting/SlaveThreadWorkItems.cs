using System.Runtime.ExceptionServices;
using Processional.Internal;

namespace Processional;

/// <summary>
/// An entry of a slave thread's queue other than a <see cref="Task"/>. Items that a caller waits for synchronously are
/// cached per calling thread, so that a steady stream of <see cref="SlaveThread.Invoke{T}(Func{T})"/> calls allocates
/// nothing.
/// </summary>
internal abstract class SlaveWorkItem
{
    private const int StateQueued = 0;
    private const int StateRunning = 1;
    private const int StateCanceled = 2;

    private int _state;

    /// <summary>
    /// The caller's execution context (its <see cref="AsyncLocal{T}"/> values), under which the item runs, as work
    /// queued to the thread pool would; <see langword="null"/> when the caller suppressed the flow.
    /// </summary>
    internal ExecutionContext? Context { get; private protected set; }

    /// <summary>Claims the item for execution; false when it was canceled while queued.</summary>
    internal bool TryStart() => Interlocked.CompareExchange(ref _state, StateRunning, StateQueued) == StateQueued;

    /// <summary>Claims the item for cancellation; false when it already started.</summary>
    private protected bool TryCancel() => Interlocked.CompareExchange(ref _state, StateCanceled, StateQueued) == StateQueued;

    private protected bool IsCanceled => Volatile.Read(ref _state) == StateCanceled;

    private protected void ResetForEnqueue()
    {
        _state = StateQueued;
        Context = ExecutionContext.Capture();
    }

    /// <summary>Runs the item on the slave thread. Never throws: failures go to whoever waits for the item.</summary>
    internal abstract void Execute();
}

/// <summary>A synchronous call: the calling thread blocks on <see cref="_done"/> until the slave thread ran the work.</summary>
internal abstract class SlaveSyncItem : SlaveWorkItem
{
    private static readonly Action<object?> s_cancel = static item => ((SlaveSyncItem)item!).CancelWhileQueued();

    private readonly CallSignal _done = new();
    private ExceptionDispatchInfo? _failure;

    internal sealed override void Execute()
    {
        try
        {
            Run();
        }
#pragma warning disable CA1031 // The failure is re-thrown to the waiting caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _failure = ExceptionDispatchInfo.Capture(ex);
        }

        // The last touch of this item by the slave thread: the caller may reuse it as soon as it is set.
        _done.Set();
    }

    private protected abstract void Run();

    /// <summary>
    /// Enqueues the item and blocks until it ran. Throws <see cref="OperationCanceledException"/> when the token was
    /// canceled before the slave thread started the item, which then stays in the queue and must not be reused.
    /// </summary>
    private protected void EnqueueAndWait(SlaveThreadCore core, CancellationToken cancellationToken)
    {
        ResetForEnqueue();
        _failure = null;
        core.EnqueueOrThrow(this);
        if (!cancellationToken.CanBeCanceled)
        {
            _done.WaitAndReset();
            return;
        }

        using (cancellationToken.UnsafeRegister(s_cancel, this))
        {
            _done.WaitAndReset();
        }

        if (IsCanceled)
        {
            // Still in the queue, where the slave thread will skip it: it cannot be reused.
            throw new OperationCanceledException("The work was canceled before the slave thread started it.", cancellationToken);
        }
    }

    private protected void ThrowIfFailed()
    {
        var failure = _failure;
        if (failure is not null)
        {
            _failure = null;
            failure.Throw();
        }
    }

    private void CancelWhileQueued()
    {
        if (TryCancel())
        {
            _done.Set();
        }
    }
}

/// <summary>A synchronous call of a <see cref="Func{TResult}"/>.</summary>
internal sealed class SlaveSyncFuncItem<T> : SlaveSyncItem
{
    [ThreadStatic]
    private static SlaveSyncFuncItem<T>? t_cached;

    private Func<T>? _func;
    private T? _result;

    internal static T Invoke(SlaveThreadCore core, Func<T> func, CancellationToken cancellationToken)
    {
        var item = t_cached ?? new SlaveSyncFuncItem<T>();
        t_cached = null;
        item._func = func;
        item.EnqueueAndWait(core, cancellationToken);
        var result = item._result;
        item._result = default;
        item._func = null;
        item.Context = null;
        t_cached = item;
        item.ThrowIfFailed();
        return result!;
    }

    private protected override void Run() => _result = _func!();
}

/// <summary>A synchronous call of an <see cref="Action"/>.</summary>
internal sealed class SlaveSyncActionItem : SlaveSyncItem
{
    [ThreadStatic]
    private static SlaveSyncActionItem? t_cached;

    private Action? _action;

    internal static void Invoke(SlaveThreadCore core, Action action, CancellationToken cancellationToken)
    {
        var item = t_cached ?? new SlaveSyncActionItem();
        t_cached = null;
        item._action = action;
        item.EnqueueAndWait(core, cancellationToken);
        item._action = null;
        item.Context = null;
        t_cached = item;
        item.ThrowIfFailed();
    }

    private protected override void Run() => _action!();
}

/// <summary>A callback posted to the slave thread's <see cref="SynchronizationContext"/>.</summary>
internal sealed class SlavePostItem : SlaveWorkItem
{
    private readonly SendOrPostCallback _callback;
    private readonly object? _state;
    private readonly string _source;

    internal SlavePostItem(SendOrPostCallback callback, object? state, string source)
    {
        _callback = callback;
        _state = state;
        _source = source;
        ResetForEnqueue();
    }

    internal override void Execute()
    {
        try
        {
            _callback(_state);
        }
#pragma warning disable CA1031 // Nobody waits for a posted callback: report its failure instead of killing the thread.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            UnobservedExceptions.Report(ex, _source);
        }
    }
}

/// <summary>
/// A queued call whose caller holds a task: <see cref="Func{TResult}"/>, <see cref="Action"/>, or an <c>async</c>
/// <see cref="Func{TResult}"/> of <see cref="Task{TResult}"/> or <see cref="Task"/>. Its task completes as canceled as
/// soon as the token is canceled while the call waits in the queue, and it then never runs.
/// </summary>
internal sealed class SlaveAsyncItem<T> : SlaveWorkItem
{
    internal enum Kind
    {
        Func,
        Action,
        AsyncFunc,
        AsyncAction,
    }

    private static readonly Action<object?> s_cancel = static item => ((SlaveAsyncItem<T>)item!).CancelWhileQueued();

    // Continuations run on the thread pool, never inline on the slave thread, whose queue must not wait behind them.
    private readonly TaskCompletionSource<T> _source = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SlaveThreadCore _core;
    private readonly CancellationToken _cancellationToken;
    private readonly Kind _kind;
    private Delegate? _work;
    private CancellationTokenRegistration _registration;

    private SlaveAsyncItem(SlaveThreadCore core, Delegate work, Kind kind, CancellationToken cancellationToken)
    {
        _core = core;
        _work = work;
        _kind = kind;
        _cancellationToken = cancellationToken;
        ResetForEnqueue();
    }

    /// <summary>Queues <paramref name="work"/> and returns its task; throws <see cref="ObjectDisposedException"/> once stopping.</summary>
    /// <remarks>
    /// The kind is explicit because the delegate's type cannot tell: a <c>Func&lt;Task&gt;</c> is also a
    /// <c>Func&lt;object&gt;</c> by covariance.
    /// </remarks>
    internal static Task<T> Queue(SlaveThreadCore core, Delegate work, Kind kind, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var item = new SlaveAsyncItem<T>(core, work, kind, cancellationToken);
        if (cancellationToken.CanBeCanceled)
        {
            // Registered before the enqueue, so that Execute always finds the registration to release.
            item._registration = cancellationToken.UnsafeRegister(s_cancel, item);
        }

        try
        {
            core.EnqueueOrThrow(item);
        }
        catch (ObjectDisposedException)
        {
            item._registration.Dispose();
            throw;
        }

        return item._source.Task;
    }

    internal override void Execute()
    {
        _registration.Unregister();
        var work = _work;
        _work = null;
        try
        {
            switch (_kind)
            {
                case Kind.Func:
                    _source.TrySetResult(((Func<T>)work!)());
                    break;
                case Kind.Action:
                    ((Action)work!)();
                    _source.TrySetResult(default!);
                    break;
                case Kind.AsyncFunc:
                    Forward(((Func<Task<T>>)work!)());
                    break;
                default:
                    Forward(((Func<Task>)work!)());
                    break;
            }
        }
#pragma warning disable CA1031 // The failure is the call's outcome, handed to its task.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(ex);
        }
    }

    private void Forward(Task task)
    {
        if (task is null)
        {
            throw new InvalidOperationException("The async work returned a null task.");
        }

        if (task.IsCompleted)
        {
            Complete(task);
            return;
        }

        // The slave thread stays up until this completes: the work's continuations come back to it.
        _core.BeginAsyncOperation();
        task.ContinueWith(
            static (completed, state) =>
            {
                var item = (SlaveAsyncItem<T>)state!;
                item.Complete(completed);
                item._core.EndAsyncOperation();
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void Complete(Task task)
    {
        try
        {
            if (task is Task<T> valued)
            {
                _source.TrySetResult(valued.GetAwaiter().GetResult());
            }
            else
            {
                task.GetAwaiter().GetResult();
                _source.TrySetResult(default!);
            }
        }
#pragma warning disable CA1031 // The failure is the call's outcome, handed to its task.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(ex);
        }
    }

    private void Fail(Exception ex)
    {
        if (ex is OperationCanceledException canceled && canceled.CancellationToken.IsCancellationRequested)
        {
            _source.TrySetCanceled(canceled.CancellationToken);
        }
        else
        {
            _source.TrySetException(ex);
        }
    }

    private void CancelWhileQueued()
    {
        if (TryCancel())
        {
            _work = null;
            _source.TrySetCanceled(_cancellationToken);
        }
    }
}
