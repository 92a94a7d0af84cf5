using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Processional;

/// <summary>
/// A 64-bit counter in shared memory that processes advance and wait on: a sequence number to publish "items up to N are
/// written" from one process to another. <see cref="Add"/> and <see cref="CompareExchange"/> are atomic across processes;
/// <see cref="WaitFor"/> spins briefly, then sleeps in the kernel (a futex on the shared page, on Linux) until a writer
/// wakes it. Passed to a slave, it travels as a handle, like a <see cref="SharedArray{T}"/>.
/// </summary>
/// <remarks>
/// Storage is two <see cref="long"/> cells of a <see cref="SharedArray{T}"/>: the value, then the number of sleeping
/// waiters (so that writers only make a system call when someone sleeps).
/// </remarks>
public sealed unsafe class SharedSequence : IDisposable
{
    private const int SpinCount = 64;
    private static readonly long MaxSleepNanoseconds = 50_000_000;

    /// <summary>Creates a sequence over the first two cells of <paramref name="cells"/> (a view of them; dispose both).</summary>
    /// <param name="cells">At least two cells of shared memory, for example of a larger region both processes hold.</param>
    /// <exception cref="ArgumentException"><paramref name="cells"/> has fewer than two elements, or is not 8-byte aligned.</exception>
    public SharedSequence(SharedArray<long> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length < 2)
        {
            throw new ArgumentException($"A shared sequence needs two cells; the array has {cells.Length}.", nameof(cells));
        }

        if (((nint)Unsafe.AsPointer(ref cells[0]) & 7) != 0)
        {
            throw new ArgumentException("A shared sequence's cells must be 8-byte aligned (atomic operations need it).", nameof(cells));
        }

        Cells = cells.Slice(0, 2);
    }

    /// <summary>The two shared cells this sequence lives in.</summary>
    public SharedArray<long> Cells { get; }

    /// <summary>The current value.</summary>
    /// <exception cref="ObjectDisposedException">The sequence was disposed.</exception>
    public long Value => Volatile.Read(ref Cells[0]);

    /// <summary>Allocates a sequence in a shared region of its own.</summary>
    /// <param name="initialValue">The first value.</param>
    /// <returns>The sequence; dispose it when done.</returns>
    public static SharedSequence Allocate(long initialValue = 0)
    {
        using var cells = SharedArray<long>.Allocate(2);
        cells[0] = initialValue;
        return new SharedSequence(cells);
    }

    /// <summary>Adds one and wakes waiters.</summary>
    /// <returns>The new value.</returns>
    public long Increment() => Add(1);

    /// <summary>Adds <paramref name="delta"/> atomically and wakes waiters.</summary>
    /// <param name="delta">What to add.</param>
    /// <returns>The new value.</returns>
    public long Add(long delta)
    {
        var value = Interlocked.Add(ref Cells[0], delta);
        Wake();
        return value;
    }

    /// <summary>Sets the value to <paramref name="value"/> when it is <paramref name="comparand"/>, atomically, and wakes waiters.</summary>
    /// <param name="value">The new value.</param>
    /// <param name="comparand">The value expected.</param>
    /// <returns>The value found (equal to <paramref name="comparand"/> when it was replaced).</returns>
    public long CompareExchange(long value, long comparand)
    {
        var found = Interlocked.CompareExchange(ref Cells[0], value, comparand);
        if (found == comparand)
        {
            Wake();
        }

        return found;
    }

    /// <summary>Waits until the value is at least <paramref name="target"/>.</summary>
    /// <param name="target">The value to wait for.</param>
    /// <param name="timeout">How long to wait at most (<see cref="Timeout.InfiniteTimeSpan"/> for ever).</param>
    /// <param name="cancellationToken">Stops the wait (checked at least every 50 ms).</param>
    /// <returns><see langword="true"/> when the value reached <paramref name="target"/>; <see langword="false"/> on timeout.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public bool WaitFor(long target, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (Value >= target)
        {
            return true;
        }

        var started = Stopwatch.GetTimestamp();
        var spinner = default(SpinWait);
        for (var i = 0; i < SpinCount; i++)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
            if (Value >= target)
            {
                return true;
            }
        }

        ref var value = ref Cells[0];
        ref var waiters = ref Cells[1];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var remaining = timeout == Timeout.InfiniteTimeSpan ? TimeSpan.MaxValue : timeout - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return Value >= target;
            }

            Interlocked.Increment(ref waiters);
            try
            {
                var seen = Interlocked.Read(ref value);
                if (seen >= target)
                {
                    return true;
                }

                var sleep = Math.Min(MaxSleepNanoseconds, remaining.Ticks > long.MaxValue / 100 ? MaxSleepNanoseconds : remaining.Ticks * 100);
                if (OperatingSystem.IsLinux() && LinuxNative.FutexNumber > 0)
                {
                    fixed (long* address = &value)
                    {
                        // The low 32 bits (little-endian) change on every ordinary step; the kernel re-checks them atomically.
                        LinuxNative.FutexWaitShared((nint)address, (int)seen, sleep);
                    }
                }
                else
                {
                    Thread.Sleep(1);
                }
            }
            finally
            {
                Interlocked.Decrement(ref waiters);
            }

            if (Value >= target)
            {
                return true;
            }
        }
    }

    /// <summary>Releases this process's view of the cells.</summary>
    public void Dispose() => Cells.Dispose();

    /// <inheritdoc/>
    public override string ToString() => Cells.IsDisposed ? "SharedSequence (disposed)" : $"SharedSequence = {Value}";

    private void Wake()
    {
        if (Volatile.Read(ref Cells[1]) > 0 && OperatingSystem.IsLinux() && LinuxNative.FutexNumber > 0)
        {
            fixed (long* address = &Cells[0])
            {
                LinuxNative.FutexWakeShared((nint)address);
            }
        }
    }
}

/// <summary>Writes a <see cref="SharedSequence"/> as the handle of its cells.</summary>
public sealed class SharedSequenceFormatter : Serialization.ProcessionalFormatter<SharedSequence>
{
    /// <summary>The shared instance.</summary>
    public static SharedSequenceFormatter Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref Serialization.ProcessionalWriter<TBufferWriter> writer, scoped ref SharedSequence? value)
    {
        var cells = value?.Cells;
        SharedArrayFormatter<long>.Instance.Serialize(ref writer, ref cells);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref Serialization.ProcessionalReader reader, scoped ref SharedSequence? value)
    {
        SharedArray<long>? cells = null;
        SharedArrayFormatter<long>.Instance.Deserialize(ref reader, ref cells);
        if (cells is null)
        {
            value = null;
            return;
        }

        using (cells)
        {
            value = new SharedSequence(cells);
        }
    }
}
