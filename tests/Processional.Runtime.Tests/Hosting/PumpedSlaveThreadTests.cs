#pragma warning disable xUnit1031 // The pumped owner thread must block: an await would resume on another thread.

namespace Processional.Tests.Hosting;

public sealed class PumpedSlaveThreadTests
{
    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Work_runs_only_when_the_owner_pumps()
    {
        await OnOwnThread(() =>
        {
            var slave = SlaveThread.CreatePumped("game loop");
            var ownerId = Environment.CurrentManagedThreadId;

            var first = Task.Factory.StartNew(() => slave.InvokeAsync(() => Environment.CurrentManagedThreadId)).Result;
            var second = Task.Factory.StartNew(() => slave.InvokeAsync(() => 2)).Result;
            Assert.True(slave.IsPumped);
            Assert.Equal(2, slave.PendingCount);
            Assert.False(first.IsCompleted);

            Assert.Equal(2, slave.RunPending());

            Assert.Equal(ownerId, first.Result);
            Assert.Equal(2, second.Result);
            Assert.Equal(0, slave.RunPending());
            slave.Dispose();
        });
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Invoke_from_the_owner_runs_inline_and_from_elsewhere_waits_for_the_pump()
    {
        await OnOwnThread(() =>
        {
            using var slave = SlaveThread.CreatePumped();
            Assert.Equal(5, slave.Invoke(() => 5));

            var blocked = Task.Run(() => slave.Invoke(() => Environment.CurrentManagedThreadId));
            SpinUntil(() => slave.PendingCount == 1);
            Assert.False(blocked.IsCompleted);

            slave.RunPending();
            Assert.Equal(Environment.CurrentManagedThreadId, blocked.Result);
        });
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Async_continuations_run_at_the_next_pump()
    {
        await OnOwnThread(() =>
        {
            using var slave = SlaveThread.CreatePumped();
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var steps = new List<int>();

            var work = slave.InvokeAsync(async () =>
            {
                steps.Add(Environment.CurrentManagedThreadId);
                await gate.Task;
                steps.Add(Environment.CurrentManagedThreadId);
                return steps.Count;
            });

            Assert.Equal(1, slave.RunPending());
            Assert.Single(steps);
            gate.SetResult();
            SpinUntil(() => slave.PendingCount == 1);
            Assert.Single(steps);

            Assert.Equal(1, slave.RunPending());
            Assert.Equal(2, work.Result);
            Assert.All(steps, id => Assert.Equal(Environment.CurrentManagedThreadId, id));

            // The owner's own context is restored after pumping.
            Assert.NotSame(slave.SynchronizationContext, SynchronizationContext.Current);
        });
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task RunPending_is_refused_off_the_owner_thread_and_from_pumped_work()
    {
        await OnOwnThread(() =>
        {
            using var slave = SlaveThread.CreatePumped();

            var offThread = Task.Run(() => Assert.Throws<InvalidOperationException>(() => slave.RunPending())).Result;
            Assert.Contains("RunPending() was called from thread", offThread.Message, StringComparison.Ordinal);

            var nested = slave.InvokeAsync(() => slave.RunPending());
            slave.RunPending();
            Assert.IsType<InvalidOperationException>(nested.Exception!.InnerException);
        });
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Dispose_on_the_owner_runs_what_is_left()
    {
        await OnOwnThread(() =>
        {
            var slave = SlaveThread.CreatePumped();
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var queued = Task.Factory.StartNew(() => slave.InvokeAsync(() => 1)).Result;
            var asyncWork = slave.InvokeAsync(async () =>
            {
                await gate.Task;
                return Environment.CurrentManagedThreadId;
            });
            _ = Task.Run(gate.SetResult);

            slave.Dispose();

            Assert.Equal(1, queued.Result);
            Assert.Equal(Environment.CurrentManagedThreadId, asyncWork.Result);
            Assert.True(slave.Completion.IsCompleted);
            Assert.Throws<ObjectDisposedException>(() => { _ = slave.InvokeAsync(() => 1); });
        });
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task DisposeAsync_from_another_thread_completes_at_the_owner_s_next_pump()
    {
        await OnOwnThread(() =>
        {
            var slave = SlaveThread.CreatePumped();
            var queued = slave.InvokeAsync(() => 1);

            var disposing = Task.Factory.StartNew(() => slave.DisposeAsync().AsTask()).Result;
            Assert.False(disposing.IsCompleted);

            slave.RunPending();
            SpinUntil(() => disposing.IsCompleted);
            Assert.Equal(1, queued.Result);
        });
    }

    /// <summary>
    /// Runs a synchronous test body on a dedicated thread, which stays the owner of the pumped slave thread throughout
    /// (an <c>await</c> would resume elsewhere).
    /// </summary>
    private static Task OnOwnThread(Action body) => BackgroundThread.Run(body).Task;

    private static void SpinUntil(Func<bool> condition) =>
        Assert.True(SpinWait.SpinUntil(condition, TestTimeouts.Patience), "Timed out waiting for a condition.");
}
