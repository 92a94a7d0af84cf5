using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Processional.Tests.Hosting;

public sealed class SlaveThreadTests
{
    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Invoke_runs_on_the_slave_thread_and_returns_the_value()
    {
        using var slave = new SlaveThread("worker");

        var (threadId, name) = await Task.Run(() => slave.Invoke(() => (Environment.CurrentManagedThreadId, Thread.CurrentThread.Name)));

        Assert.Equal(slave.Thread.ManagedThreadId, threadId);
        Assert.Equal("worker", name);
        Assert.Equal("worker", slave.Name);
        Assert.True(slave.Thread.IsBackground);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Invoke_action_runs_and_rethrows_with_the_original_stack()
    {
        using var slave = new SlaveThread();
        var ran = false;

        await Task.Run(() => slave.Invoke(() => { ran = true; }));
        var ex = await Task.Run(() => Assert.Throws<InvalidOperationException>(() => slave.Invoke(ThrowFromSlave)));

        Assert.True(ran);
        Assert.Equal("slave failure", ex.Message);
        Assert.Contains(nameof(ThrowFromSlave), ex.StackTrace, StringComparison.Ordinal);
        Assert.Equal(7, await Task.Run(() => slave.Invoke(() => 7)));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Invoke_func_rethrows_and_the_slave_stays_usable()
    {
        using var slave = new SlaveThread();

        var ex = await Task.Run(() => Assert.Throws<InvalidOperationException>(() => slave.Invoke<int>(() => ThrowValueFromSlave())));

        Assert.Contains(nameof(ThrowValueFromSlave), ex.StackTrace, StringComparison.Ordinal);
        Assert.Equal(11, await Task.Run(() => slave.Invoke(() => 11)));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task InvokeAsync_returns_at_once_and_runs_in_order()
    {
        using var slave = new SlaveThread();
        using var release = new ManualResetEventSlim();
        var order = new List<int>();

        var blocker = slave.InvokeAsync(() => release.Wait());
        var tasks = Enumerable.Range(0, 100).Select(i => slave.InvokeAsync(() => { order.Add(i); return i; })).ToArray();

        Assert.False(blocker.IsCompleted);
        Assert.All(tasks, t => Assert.False(t.IsCompleted));
        release.Set();

        Assert.Equal(Enumerable.Range(0, 100), await Task.WhenAll(tasks));
        Assert.Equal(Enumerable.Range(0, 100), order);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task InvokeAsync_faults_its_task_with_the_exception()
    {
        using var slave = new SlaveThread();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => slave.InvokeAsync(ThrowValueFromSlave));
        await Assert.ThrowsAsync<InvalidOperationException>(() => slave.InvokeAsync(ThrowFromSlave));

        Assert.Contains(nameof(ThrowValueFromSlave), ex.StackTrace, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Work_from_concurrent_producers_runs_in_each_producer_s_order()
    {
        using var slave = new SlaveThread();
        const int Producers = 4;
        const int PerProducer = 5_000;
        var seen = new List<(int Producer, int Index)>();
        using var go = new ManualResetEventSlim();

        var producers = Enumerable.Range(0, Producers).Select(p => Task.Run(() =>
        {
            go.Wait();
            var tasks = new Task[PerProducer];
            for (var i = 0; i < PerProducer; i++)
            {
                var index = i;
                tasks[i] = i % 2 == 0
                    ? slave.InvokeAsync(() => seen.Add((p, index)))
                    : Task.FromResult(slave.Invoke(() => { seen.Add((p, index)); return 0; }));
            }

            return Task.WhenAll(tasks);
        })).ToArray();

        go.Set();
        await Task.WhenAll(producers);

        var all = await slave.InvokeAsync(() => seen.ToArray());
        Assert.Equal(Producers * PerProducer, all.Length);
        foreach (var group in all.GroupBy(s => s.Producer))
        {
            Assert.Equal(Enumerable.Range(0, PerProducer), group.Select(s => s.Index));
        }
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Invoke_from_the_slave_thread_runs_inline()
    {
        using var slave = new SlaveThread();

        var (outer, inner, isCurrent) = await Task.Run(() => slave.Invoke(() =>
        {
            var outerId = Environment.CurrentManagedThreadId;
            var innerId = slave.Invoke(() => Environment.CurrentManagedThreadId);
            slave.Invoke(() => { });
            return (outerId, innerId, slave.IsCurrentThread);
        }));

        Assert.Equal(outer, inner);
        Assert.True(isCurrent);
        Assert.False(slave.IsCurrentThread);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Async_work_continues_on_the_slave_thread()
    {
        using var slave = new SlaveThread();

        var ids = await slave.InvokeAsync(async () =>
        {
            var seen = new List<int> { Environment.CurrentManagedThreadId };
            await Task.Delay(10);
            seen.Add(Environment.CurrentManagedThreadId);
            await Task.Yield();
            seen.Add(Environment.CurrentManagedThreadId);
            await Task.Run(() => { }); // completes on the thread pool
            seen.Add(Environment.CurrentManagedThreadId);
            return seen;
        });

        Assert.All(ids, id => Assert.Equal(slave.Thread.ManagedThreadId, id));
        Assert.Same(slave.SynchronizationContext, await slave.InvokeAsync(() => SynchronizationContext.Current));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Async_action_work_is_awaited_and_rethrows()
    {
        using var slave = new SlaveThread();
        var steps = 0;

        await slave.InvokeAsync(async () =>
        {
            await Task.Yield();
            steps++;
        });
        var ex = await Assert.ThrowsAsync<FormatException>(() => slave.InvokeAsync(async () =>
        {
            await Task.Yield();
            throw new FormatException("async failure");
        }));

        Assert.Equal(1, steps);
        Assert.Equal("async failure", ex.Message);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Work_canceled_while_queued_never_runs_and_its_task_is_canceled()
    {
        using var slave = new SlaveThread();
        using var release = new ManualResetEventSlim();
        using var cts = new CancellationTokenSource();
        var ran = false;

        var blocker = slave.InvokeAsync(() => release.Wait());
        var canceled = slave.InvokeAsync(() => { ran = true; }, cts.Token);
        var canceledValue = slave.InvokeAsync(() => { ran = true; return 1; }, cts.Token);
        cts.Cancel();

        // Canceled promptly, while the slave is still busy with the blocker.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceledValue);
        Assert.False(blocker.IsCompleted);

        release.Set();
        await blocker;
        Assert.False(await slave.InvokeAsync(() => ran));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Blocking_invoke_canceled_while_queued_throws_and_never_runs()
    {
        using var slave = new SlaveThread();
        using var release = new ManualResetEventSlim();
        using var cts = new CancellationTokenSource();
        var ran = false;

        var blocker = slave.InvokeAsync(() => release.Wait());
        var caller = Task.Run(() => slave.Invoke(() => { ran = true; return 1; }, cts.Token));
        await WaitUntilAsync(() => slave.PendingCount == 1);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => caller);
        release.Set();
        await blocker;
        Assert.False(await slave.InvokeAsync(() => ran));

        // The calling thread's cached call item was abandoned in the queue; its next call must still work.
        Assert.Equal(2, await Task.Run(() => slave.Invoke(() => 2, CancellationToken.None)));
        Assert.Throws<OperationCanceledException>(() => slave.Invoke(() => 3, cts.Token));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Dispose_completes_queued_work_then_refuses_new_work()
    {
        var slave = new SlaveThread();
        using var release = new ManualResetEventSlim();
        var blocker = slave.InvokeAsync(() => release.Wait());
        var queued = Enumerable.Range(0, 50).Select(i => slave.InvokeAsync(() => i)).ToArray();

        var disposing = Task.Run(slave.Dispose);
        await WaitUntilAsync(() => ThrowsDisposed(() => slave.InvokeAsync(() => 0)));
        Assert.False(disposing.IsCompleted);
        release.Set();
        await disposing;

        Assert.Equal(Enumerable.Range(0, 50), await Task.WhenAll(queued));
        Assert.True(blocker.IsCompletedSuccessfully);
        Assert.False(slave.Thread.IsAlive);
        Assert.True(slave.Completion.IsCompletedSuccessfully);
        var ex = Assert.Throws<ObjectDisposedException>(() => slave.Invoke(() => 1));
        Assert.Contains(slave.Name, ex.Message, StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => slave.Invoke(() => { }));
        Assert.Throws<ObjectDisposedException>(() => { _ = slave.InvokeAsync(() => { }); });
        Assert.Throws<ObjectDisposedException>(() => { _ = slave.InvokeAsync(() => Task.FromResult(1)); });
        slave.Dispose(); // idempotent
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task DisposeAsync_waits_for_async_work_in_flight_and_for_the_thread_to_exit()
    {
        var slave = new SlaveThread();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var threadIds = new ConcurrentBag<int>();

        var work = slave.InvokeAsync(async () =>
        {
            threadIds.Add(Environment.CurrentManagedThreadId);
            await gate.Task;
            threadIds.Add(Environment.CurrentManagedThreadId);
            return 5;
        });
        await WaitUntilAsync(() => !threadIds.IsEmpty);

        var disposing = slave.DisposeAsync().AsTask();
        Assert.False(disposing.IsCompleted);
        gate.SetResult();
        await disposing;

        Assert.Equal(5, await work);
        Assert.All(threadIds, id => Assert.Equal(slave.Thread.ManagedThreadId, id));
        Assert.False(slave.Thread.IsAlive);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Disposal_under_load_loses_no_call()
    {
        for (var round = 0; round < 20; round++)
        {
            var slave = new SlaveThread();
            var accepted = new ConcurrentBag<Task>();
            var refused = 0;
            using var start = new ManualResetEventSlim();

            var producers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
            {
                start.Wait();
                for (var i = 0; i < 2_000; i++)
                {
                    try
                    {
                        accepted.Add(slave.InvokeAsync(() => i));
                        if (i % 100 == 0)
                        {
                            slave.Invoke(() => { });
                        }
                    }
                    catch (ObjectDisposedException)
                    {
                        Interlocked.Increment(ref refused);
                        return;
                    }
                }
            })).ToArray();

            start.Set();
            await slave.DisposeAsync();
            await Task.WhenAll(producers);

            // Every call the slave accepted ran; every other one was refused at once.
            await Task.WhenAll(accepted);
            Assert.False(slave.Thread.IsAlive);
        }
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Interrupting_an_idle_slave_thread_does_not_stop_it()
    {
        using var slave = new SlaveThread();
        await slave.InvokeAsync(() => { });
        await WaitUntilAsync(() => slave.Thread.ThreadState.HasFlag(ThreadState.WaitSleepJoin));

        slave.Thread.Interrupt();

        Assert.Equal(1, await slave.InvokeAsync(() => 1));
        Assert.Equal(2, await Task.Run(() => slave.Invoke(() => 2)));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_dropped_slave_thread_stops_once_collected()
    {
        var thread = StartSlaveAndDropIt();

        await GcHelper.CollectUntilAsync(() => !thread.IsAlive, "the dropped slave thread to exit");
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Callers_execution_context_flows_into_invoked_work_and_does_not_leak()
    {
        using var slave = new SlaveThread();
        var local = new AsyncLocal<string?>();

        var seen = await Task.Run(() =>
        {
            local.Value = "caller";
            var inside = slave.Invoke(() =>
            {
                var value = local.Value;
                local.Value = "changed by the work";
                return value;
            });
            return (inside, after: slave.Invoke(() => local.Value));
        });
        var fromAnotherCaller = await Task.Run(() => slave.Invoke(() => local.Value));

        Assert.Equal("caller", seen.inside);
        Assert.Equal("caller", seen.after);
        Assert.Null(fromAnotherCaller);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_failing_posted_callback_is_reported_and_the_slave_keeps_running()
    {
        using var slave = new SlaveThread("poster");
        var marker = $"posted-{Guid.NewGuid():N}";
        using var reports = new UnobservedReports(marker);

        slave.SynchronizationContext.Post(_ => throw new InvalidOperationException(marker), null);

        var report = await reports.First;
        Assert.Equal("SlaveThread 'poster'", report.Source);
        Assert.Equal(3, await slave.InvokeAsync(() => 3));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Scheduler_runs_tasks_on_the_slave_thread()
    {
        using var slave = new SlaveThread();

        var id = await Task.Factory.StartNew(() => Environment.CurrentManagedThreadId, CancellationToken.None, TaskCreationOptions.None, slave.Scheduler);

        Assert.Equal(slave.Thread.ManagedThreadId, id);
        Assert.Equal(1, slave.Scheduler.MaximumConcurrencyLevel);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Foreground_option_and_arguments_are_checked()
    {
        await using var slave = new SlaveThread(new SlaveThreadOptions { KeepsProcessAlive = true });

        Assert.False(slave.Thread.IsBackground);
        Assert.StartsWith("SlaveThread #", slave.Name, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => slave.Invoke((Func<int>)null!));
        Assert.Throws<ArgumentNullException>(() => { _ = slave.InvokeAsync((Action)null!); });
        Assert.Throws<ArgumentNullException>(() => new SlaveThread((string)null!));
        Assert.Throws<InvalidOperationException>(() => slave.RunPending());
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Invoke_allocates_nothing_on_the_calling_thread()
    {
        using var slave = new SlaveThread();
        Func<int> work = static () => 1;
        Action action = static () => { };

        var allocated = await BackgroundThread.Run(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                slave.Invoke(work);
                slave.Invoke(action);
            }

            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10_000; i++)
            {
                slave.Invoke(work);
                slave.Invoke(action);
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        });

        Assert.Equal(0, allocated);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for a condition.");
            await Task.Delay(1);
        }
    }

    private static bool ThrowsDisposed(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowFromSlave() => throw new InvalidOperationException("slave failure");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int ThrowValueFromSlave() => throw new InvalidOperationException("slave failure");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Thread StartSlaveAndDropIt()
    {
        var slave = new SlaveThread();
        slave.Invoke(() => { });
        return slave.Thread;
    }
}
