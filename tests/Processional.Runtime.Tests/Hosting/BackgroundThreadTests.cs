using System.Runtime.CompilerServices;

namespace Processional.Tests.Hosting;

public sealed class BackgroundThreadTests
{
    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Run_returns_at_once_and_Wait_returns_the_value()
    {
        using var release = new ManualResetEventSlim();
        var job = BackgroundThread.Run(() =>
        {
            release.Wait();
            return 42;
        });

        Assert.False(job.IsCompleted);
        Assert.NotEqual(Environment.CurrentManagedThreadId, job.Thread.ManagedThreadId);
        release.Set();
        Assert.Equal(42, await Task.Run(() => job.Wait()));
        Assert.True(job.IsCompleted);
        Assert.Equal(42, job.Wait());
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Wait_rethrows_the_original_exception_with_its_stack_every_time()
    {
        var job = BackgroundThread.Run<int>(ThrowFromDeepInside);

        var first = await Task.Run(() => Assert.Throws<InvalidOperationException>(() => job.Wait()));
        var second = Assert.Throws<InvalidOperationException>(() => job.Wait());

        Assert.Same(first, second);
        Assert.Equal("deep failure", first.Message);
        Assert.Contains(nameof(ThrowFromDeepInside), first.StackTrace, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Wait_with_timeout_throws_and_leaves_the_work_running()
    {
        using var release = new ManualResetEventSlim();
        var job = BackgroundThread.Run(() =>
        {
            release.Wait();
            return "done";
        });

        var timeout = Assert.Throws<TimeoutException>(() => job.Wait(TimeSpan.FromMilliseconds(50)));
        Assert.Contains(job.Name, timeout.Message, StringComparison.Ordinal);
        Assert.False(job.IsCompleted);

        release.Set();
        Assert.Equal("done", await Task.Run(() => job.Wait()));
        Assert.Equal("done", job.Wait(TimeSpan.Zero));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Job_is_awaitable_and_exposes_its_task()
    {
        var job = BackgroundThread.Run(() => 6 * 7);

        Assert.Equal(42, await job);
        Assert.Equal(42, await job.Task);
        Assert.Equal(TaskStatus.RanToCompletion, job.Task.Status);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Awaiting_a_failed_job_throws_its_exception()
    {
        var job = BackgroundThread.Run<int>(ThrowFromDeepInside);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await job);
        Assert.Contains(nameof(ThrowFromDeepInside), ex.StackTrace, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Run_action_completes_and_rethrows()
    {
        var ran = 0;
        var ok = BackgroundThread.Run(() => { Interlocked.Increment(ref ran); });
        await ok;
        Assert.Equal(1, ran);

        var failing = BackgroundThread.Run(new Action(() => throw new FormatException("bad")));
        var ex = await Task.Run(() => Assert.Throws<FormatException>(failing.Wait));
        Assert.Equal("bad", ex.Message);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Interrupt_cancels_the_token_and_Wait_throws_OperationCanceledException()
    {
        using var started = new ManualResetEventSlim();
        var job = BackgroundThread.Run(token =>
        {
            started.Set();
            while (!token.IsCancellationRequested)
            {
                Thread.SpinWait(100);
            }

            token.ThrowIfCancellationRequested();
            return 1;
        });

        started.Wait();
        job.Interrupt();

        await Task.Run(() => Assert.ThrowsAny<OperationCanceledException>(() => job.Wait()));
        Assert.True(job.Task.IsCanceled);
        Assert.True(job.IsInterruptRequested);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Interrupt_breaks_a_blocking_wait()
    {
        using var started = new ManualResetEventSlim();
        var job = BackgroundThread.Run(() =>
        {
            started.Set();
            Thread.Sleep(Timeout.Infinite);
        });

        started.Wait();
        job.Interrupt();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await job);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Interrupt_sent_while_the_work_is_busy_fires_at_its_next_blocking_wait()
    {
        using var started = new ManualResetEventSlim();
        var proceed = 0;
        var job = BackgroundThread.Run(() =>
        {
            started.Set();
            while (Volatile.Read(ref proceed) == 0)
            {
                Thread.SpinWait(100); // busy: no blocking wait for the interrupt to break
            }

            Thread.Sleep(Timeout.Infinite);
            return 0;
        });

        started.Wait();
        job.Interrupt();
        Volatile.Write(ref proceed, 1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await job);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Work_that_finishes_despite_an_interrupt_reports_its_value()
    {
        using var started = new ManualResetEventSlim();
        var proceed = 0;
        var job = BackgroundThread.Run(() =>
        {
            started.Set();
            while (Volatile.Read(ref proceed) == 0)
            {
                Thread.SpinWait(100);
            }

            return 5;
        });

        started.Wait();
        job.Interrupt();
        Volatile.Write(ref proceed, 1);

        Assert.Equal(5, await job);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Interrupt_reports_the_work_s_own_exception_when_it_throws_another()
    {
        using var started = new ManualResetEventSlim();
        var job = BackgroundThread.Run(() =>
        {
            started.Set();
            try
            {
                Thread.Sleep(Timeout.Infinite);
            }
            catch (ThreadInterruptedException ex)
            {
                throw new IOException("cleanup failed", ex);
            }
        });

        started.Wait();
        job.Interrupt();

        var ex = await Assert.ThrowsAsync<IOException>(async () => await job);
        Assert.IsType<ThreadInterruptedException>(ex.InnerException);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Interrupt_after_completion_changes_nothing()
    {
        var job = BackgroundThread.Run(() => 3);
        Assert.Equal(3, await job);

        job.Interrupt();

        Assert.Equal(3, job.Wait());
        Assert.False(job.IsInterruptRequested);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Thread_is_background_by_default_and_foreground_on_request()
    {
        using var release = new ManualResetEventSlim();
        var background = BackgroundThread.Run(() => release.Wait());
        var foreground = BackgroundThread.Run(() => release.Wait(), new BackgroundThreadOptions { KeepsProcessAlive = true, Name = "keeper" });
        try
        {
            Assert.True(background.Thread.IsBackground);
            Assert.False(foreground.Thread.IsBackground);
            Assert.Equal("keeper", foreground.Name);
            Assert.Equal("keeper", foreground.Thread.Name);
        }
        finally
        {
            release.Set();
        }

        await background;
        await foreground;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Wait_from_the_job_s_own_thread_is_refused()
    {
        var self = new TaskCompletionSource<BackgroundThread>(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = BackgroundThread.Run(() => self.Task.Result.Wait());
        self.SetResult(job);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await job);
        Assert.Contains("cannot wait for itself", ex.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task Run_rejects_null_work()
    {
        Assert.Throws<ArgumentNullException>(() => BackgroundThread.Run((Func<int>)null!));
        Assert.Throws<ArgumentNullException>(() => BackgroundThread.Run((Action)null!));
        Assert.Throws<ArgumentNullException>(() => BackgroundThread.Run((Func<CancellationToken, int>)null!));
        Assert.Throws<ArgumentNullException>(() => BackgroundThread.Run((Action<CancellationToken>)null!));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Unobserved_failure_is_reported_when_the_job_is_collected()
    {
        var marker = $"unobserved-{Guid.NewGuid():N}";
        using var reports = new UnobservedReports(marker);

        StartFailingJobAndForgetIt(marker);

        await GcHelper.CollectUntilAsync(() => reports.First.IsCompleted, "the unobserved failure to be reported");
        var report = await reports.First;
        Assert.IsType<InvalidOperationException>(report.Exception);
        Assert.StartsWith("BackgroundThread '", report.Source, StringComparison.Ordinal);
        Assert.Equal(1, reports.Count);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Observed_failure_is_not_reported_when_the_job_is_collected()
    {
        var marker = $"observed-{Guid.NewGuid():N}";
        using var reports = new UnobservedReports(marker);

        var collected = StartFailingJobAndObserveIt(marker);

        await GcHelper.CollectUntilAsync(() => !collected.IsAlive, "the observed job to be collected");
        GC.WaitForPendingFinalizers();
        Assert.Equal(0, reports.Count);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int ThrowFromDeepInside() => throw new InvalidOperationException("deep failure");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StartFailingJobAndForgetIt(string marker) =>
        BackgroundThread.Run(() => throw new InvalidOperationException(marker));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference StartFailingJobAndObserveIt(string marker)
    {
        var job = BackgroundThread.Run(() => throw new InvalidOperationException(marker));
        Assert.Throws<InvalidOperationException>(job.Wait);
        return new WeakReference(job);
    }
}
