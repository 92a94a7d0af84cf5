using Processional.Rpc;
using Processional.Tests.Slaves;
using Processional.Transport;

namespace Processional.Tests.Rpc;

/// <summary>A slave process exposing a <see cref="Worker"/> as "worker", shared by the tests of a class.</summary>
public sealed class WorkerSlaveFixture : IAsyncLifetime
{
    public SlaveProcess Slave { get; private set; } = null!;

    public IWorker Worker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "worker-slave" });
        await Slave.CallLambdaAsync(HandWrittenLambdas.ExposeWorker, () => SlaveProcess.MasterConnection!.Expose<IWorker>("worker", new Worker()), default);
        Worker = Slave.Connection.Get<IWorker>("worker");
    }

    public async Task DisposeAsync() => await Slave.DisposeAsync();
}

/// <summary>[Remote] interfaces between two processes, over the Unix socket that connects a master to its slave.</summary>
public sealed class CrossProcessRemoteTests(WorkerSlaveFixture fixture) : IClassFixture<WorkerSlaveFixture>
{
    private IWorker Worker => fixture.Worker;

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Every_return_kind_crosses_the_process_boundary()
    {
        Assert.Equal("worker", await Worker.NameAsync());
        Assert.Equal(3, await Worker.VersionAsync());
        var item = new WorkItem(5, "five", ["a", "b"]);
        Assert.Equal(item.Id, (await Worker.EchoAsync(item)).Id);
        Assert.Equal("int 1 x", await Worker.DescribeAsync(1, "x"));
        Assert.Equal("string s", await Worker.DescribeAsync("s"));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Cancellation_before_and_during_a_call_cancels_the_remote_work()
    {
        using var before = new CancellationTokenSource();
        before.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Worker.WaitAsync(1, before.Token));

        using var during = new CancellationTokenSource();
        var call = Worker.WaitAsync(2, during.Token);
        during.CancelAfter(50);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal("worker", await Worker.NameAsync());
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Progress_arrives_in_order_before_completion()
    {
        var reports = new List<int>();
        var result = await Worker.RunAsync(10, new SynchronousProgress<WorkProgress>(p => reports.Add(p.Done)));

        Assert.Equal(10, result);
        Assert.Equal(Enumerable.Range(1, 10), reports);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_callback_is_called_back_across_processes_during_the_call()
    {
        var observer = new RecordingObserver("seen ");

        var count = await Worker.NotifyAsync(observer, "ping");

        Assert.True(count > 0);
        Assert.Contains("ping", observer.Messages);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_stream_crosses_with_backpressure_and_stops_on_break()
    {
        var all = new List<int>();
        await foreach (var i in Worker.CountAsync(300))
        {
            all.Add(i);
        }

        Assert.Equal(Enumerable.Range(0, 300), all);

        var seen = 0;
        await foreach (var i in Worker.CountAsync(10_000_000))
        {
            if (++seen == 5)
            {
                break;
            }
        }

        Assert.Equal(5, seen);
        Assert.Equal("worker", await Worker.NameAsync());
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_remote_exception_keeps_its_type_and_the_remote_stack()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Worker.FailAsync("cross-process failure"));

        Assert.Equal("cross-process failure", ex.Message);
        Assert.Contains("End of stack trace from previous location", ex.StackTrace, StringComparison.Ordinal);
        var rejected = await Assert.ThrowsAsync<OrderRejectedException>(() => Worker.RejectAsync("no stock"));
        Assert.Contains("no stock", rejected.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Ordered_dispatch_holds_across_processes_under_concurrent_callers()
    {
        await Worker.ResetAsync();
        var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await Worker.AddAsync(1);
            }
        }));
        await Task.WhenAll(callers);

        Assert.Equal(400, await Worker.TotalAsync());
    }
}

public sealed class CrossProcessFailureTests
{
    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_slave_killed_mid_call_fails_the_pending_calls_with_SlaveCrashedException()
    {
        await using var slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Output = SlaveOutput.Discard });
        await slave.CallLambdaAsync(HandWrittenLambdas.ExposeWorkerForKill, () => SlaveProcess.MasterConnection!.Expose<IWorker>("worker", new Worker()), default);
        var worker = slave.Connection.Get<IWorker>("worker");
        Assert.Equal("worker", await worker.NameAsync());

        // Sent (each request leaves on this thread before its call returns), then the slave dies under them.
        var pending = Enumerable.Range(0, 3).Select(i => worker.WaitAsync(i, CancellationToken.None)).ToArray();
        slave.Kill();

        foreach (var call in pending)
        {
            var ex = await Assert.ThrowsAsync<SlaveCrashedException>(() => call);
            Assert.Equal(9, ex.Signal);
            Assert.IsAssignableFrom<ConnectionLostException>(ex);
        }

        await Assert.ThrowsAsync<SlaveCrashedException>(() => worker.NameAsync());
    }
}
