namespace Processional.Internal;

/// <summary>
/// A reusable one-waiter, one-setter signal: the waiter spins briefly, then blocks on a monitor allocated up front.
/// Unlike <see cref="ManualResetEventSlim"/>, it allocates nothing after construction, so a synchronous call that
/// waits on it costs no garbage however long it blocks.
/// </summary>
internal sealed class CallSignal
{
    // Enough spinning to catch a reply from a slave running on another core without a context switch, yielding in
    // between; past it, block.
    private const int SpinLimit = 30;

    private readonly object _monitor = new();
    private int _set;
    private int _sleeping;

    /// <summary>Signals the waiter. Called once per wait, by the side that completes the call.</summary>
    public void Set()
    {
        Volatile.Write(ref _set, 1);
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _sleeping) != 0)
        {
            lock (_monitor)
            {
                Monitor.Pulse(_monitor);
            }
        }
    }

    /// <summary>Waits until <see cref="Set"/> was called, then resets the signal for the next call.</summary>
    public void WaitAndReset()
    {
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _set) == 0)
        {
            if (spinner.Count >= SpinLimit)
            {
                Block();
                break;
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }

        _set = 0;
    }

    private void Block()
    {
        lock (_monitor)
        {
            Volatile.Write(ref _sleeping, 1);
            Interlocked.MemoryBarrier();
            while (Volatile.Read(ref _set) == 0)
            {
                Monitor.Wait(_monitor);
            }

            _sleeping = 0;
        }
    }
}
