using System.Collections.Concurrent;

namespace Processional;

/// <summary>
/// The queue and loop of a <see cref="SlaveThread"/>. The loop references only this object, never the
/// <see cref="SlaveThread"/> facade, so that a facade nobody references can be collected and its finalizer can stop
/// the loop.
/// </summary>
/// <remarks>
/// <para>
/// Producers and shutdown meet at <see cref="_gate"/>: bit 0 means stopping (no new public work), bit 1 means exited
/// (nothing may be queued at all), and the rest counts producers between their check and their enqueue. The loop only
/// exits by moving the gate from exactly "stopping, no producer" to "exited", so no item can slip in unseen.
/// </para>
/// <para>
/// The loop parks on <see cref="_wake"/> only after publishing <see cref="_parked"/> and looking at the queue once
/// more; a producer wakes it only when it sees <see cref="_parked"/> set. Both sides put a full fence between their
/// write and their read, so at least one of them sees the other and no wake-up is lost, while a busy slave costs its
/// producers no signalling at all.
/// </para>
/// </remarks>
internal sealed class SlaveThreadCore
{
    private const int GateStopping = 1;
    private const int GateExited = 2;
    private const int GateProducer = 4;

    private static readonly ContextCallback s_execute = static item => ((SlaveWorkItem)item!).Execute();

    private readonly ConcurrentQueue<object> _queue = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _gate;
    private int _parked;
    private int _pendingAsync;
    private int _pumping;

    internal SlaveThreadCore(string name, bool pumped)
    {
        Name = name;
        Source = $"SlaveThread '{name}'";
        IsPumped = pumped;
        Context = new SlaveThreadSynchronizationContext(this);
        Scheduler = new SlaveThreadTaskScheduler(this);
    }

    internal string Name { get; }

    internal string Source { get; }

    internal bool IsPumped { get; }

    internal Thread? Thread { get; private set; }

    internal int ThreadId { get; private set; }

    internal SlaveThreadSynchronizationContext Context { get; }

    internal SlaveThreadTaskScheduler Scheduler { get; }

    internal Task Completion => _completion.Task;

    internal bool IsCurrentThread => Environment.CurrentManagedThreadId == ThreadId;

    internal bool IsStopping => (Volatile.Read(ref _gate) & (GateStopping | GateExited)) != 0;

    internal int PendingCount => _queue.Count;

    internal IEnumerable<object> QueuedItems => _queue;

    internal void StartDedicated(SlaveThreadOptions? options)
    {
        var thread = new Thread(static core => ((SlaveThreadCore)core!).RunLoop(), options?.MaxStackSize ?? 0)
        {
            IsBackground = !(options?.KeepsProcessAlive ?? false),
            Name = Name,
        };
        Thread = thread;
        ThreadId = thread.ManagedThreadId;
        thread.UnsafeStart(this);
    }

    internal void AttachToCurrentThread()
    {
        Thread = Thread.CurrentThread;
        ThreadId = Environment.CurrentManagedThreadId;
    }

    /// <summary>Queues public work; throws <see cref="ObjectDisposedException"/> once the slave thread is stopping.</summary>
    internal void EnqueueOrThrow(object item)
    {
        if (!TryEnqueue(item, acceptWhileStopping: false))
        {
            ThrowDisposed();
        }
    }

    /// <summary>
    /// Queues an item. Work posted by the slave's own context (continuations of work in flight) is still accepted
    /// while the thread drains its queue; nothing is accepted once it exited.
    /// </summary>
    internal bool TryEnqueue(object item, bool acceptWhileStopping)
    {
        var gate = Interlocked.Add(ref _gate, GateProducer);
        if ((gate & GateExited) != 0 || (!acceptWhileStopping && (gate & GateStopping) != 0))
        {
            Interlocked.Add(ref _gate, -GateProducer);
            Wake();
            return false;
        }

        _queue.Enqueue(item);

        // Interlocked: also the full fence between publishing the item and reading _parked.
        Interlocked.Add(ref _gate, -GateProducer);
        Wake();
        return true;
    }

    /// <summary>Stops accepting public work; the loop drains what was queued and then exits.</summary>
    internal void RequestStop()
    {
        Interlocked.Or(ref _gate, GateStopping);
        Wake();
    }

    internal void BeginAsyncOperation() => Interlocked.Increment(ref _pendingAsync);

    internal void EndAsyncOperation()
    {
        if (Interlocked.Decrement(ref _pendingAsync) == 0)
        {
            Wake();
        }
    }

    /// <summary>Runs the work queued so far on the calling (owner) thread, in pumped mode. Returns how many items ran.</summary>
    internal int RunPending()
    {
        if (!IsCurrentThread)
        {
            throw new InvalidOperationException(
                $"{Source} is pumped by thread {ThreadId}; RunPending() was called from thread {Environment.CurrentManagedThreadId}.");
        }

        if (Interlocked.Exchange(ref _pumping, 1) != 0)
        {
            throw new InvalidOperationException($"RunPending() of {Source} was called from work that RunPending() is running.");
        }

        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(Context);
        var executed = 0;
        try
        {
            // Only what is queued now: continuations posted meanwhile wait for the next call, so a loop that pumps
            // once per frame never spins here for ever.
            for (var limit = _queue.Count; executed < limit && _queue.TryDequeue(out var item); executed++)
            {
                Execute(item);
            }

            if (_queue.IsEmpty)
            {
                TryExit();
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
            Volatile.Write(ref _pumping, 0);
        }

        return executed;
    }

    /// <summary>Whether the owner thread is inside <see cref="RunPending"/>.</summary>
    internal bool IsPumping => Volatile.Read(ref _pumping) != 0;

    /// <summary>
    /// Pumped mode, disposed on the owner thread outside <see cref="RunPending"/>: runs everything left, including the
    /// continuations of async work in flight, then exits.
    /// </summary>
    internal void DrainPumped()
    {
        while (!_completion.Task.IsCompleted)
        {
            if (RunPending() == 0 && !TryExit())
            {
                Park();
            }
        }
    }

    internal void Execute(object item)
    {
        if (item is Task task)
        {
            Scheduler.Execute(task);
        }
        else if (item is IThreadPoolWorkItem work)
        {
            // Runtime-internal work (a remote call's ordered queue): it handles its own failures; this is a backstop.
            try
            {
                work.Execute();
            }
#pragma warning disable CA1031 // The loop must survive whatever a work item lets escape.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                UnobservedExceptions.Report(ex, Source);
            }
        }
        else
        {
            var workItem = (SlaveWorkItem)item;
            if (workItem.TryStart())
            {
                if (workItem.Context is { } context)
                {
                    ExecutionContext.Run(context, s_execute, workItem);
                }
                else
                {
                    workItem.Execute();
                }
            }
        }
    }

    /// <summary>Runs the loop on the calling thread until the slave thread is stopped (a slave process's main thread).</summary>
    internal void RunLoopOnCurrentThread()
    {
        AttachToCurrentThread();
        RunLoop();
    }

    private void RunLoop()
    {
        SynchronizationContext.SetSynchronizationContext(Context);
        try
        {
            while (true)
            {
                if (_queue.TryDequeue(out var item))
                {
                    Execute(item);
                }
                else if (TryExit())
                {
                    break;
                }
                else
                {
                    Park();
                }
            }
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    /// <summary>
    /// Exits once stopping, with no producer in flight, an empty queue and no async work pending; true once exited.
    /// </summary>
    private bool TryExit()
    {
        var gate = Volatile.Read(ref _gate);
        if ((gate & GateExited) != 0)
        {
            return true;
        }

        if (gate != GateStopping || !_queue.IsEmpty || Volatile.Read(ref _pendingAsync) != 0
            || Interlocked.CompareExchange(ref _gate, GateStopping | GateExited, GateStopping) != GateStopping)
        {
            return false;
        }

        // A producer may have finished an enqueue between the emptiness check and the exchange; nothing can be added
        // after it, so run what is left here, on the right thread.
        while (_queue.TryDequeue(out var item))
        {
            Execute(item);
        }

        _completion.TrySetResult();
        return true;
    }

    private void Park()
    {
        Volatile.Write(ref _parked, 1);
        Interlocked.MemoryBarrier();
        if (!_queue.IsEmpty || ShouldTryExit())
        {
            // Whoever wins this exchange owns the wake-up: at worst a spurious one later, never a lost one.
            Interlocked.Exchange(ref _parked, 0);
            return;
        }

        try
        {
            _wake.Wait();
        }
        catch (ThreadInterruptedException)
        {
            // Someone interrupted the slave thread between items: that must not kill the loop and strand its queue.
        }

        _wake.Reset();
    }

    private bool ShouldTryExit() => Volatile.Read(ref _gate) == GateStopping && Volatile.Read(ref _pendingAsync) == 0;

    private void Wake()
    {
        if (Volatile.Read(ref _parked) != 0 && Interlocked.Exchange(ref _parked, 0) != 0)
        {
            _wake.Set();
        }
    }

    private void ThrowDisposed() =>
        throw new ObjectDisposedException(Source, $"{Source} is disposed: it accepts no more work.");
}
