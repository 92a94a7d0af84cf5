using Processional.Rpc;
using Processional.Transport;

namespace Processional.Tests.Rpc;

/// <summary>
/// The proxies and dispatchers the source generator writes for real [Remote] interfaces, end to end over an in-process
/// connection pair: the same behaviours <see cref="RpcConnectionTests"/> checks with the hand-written template.
/// </summary>
public sealed class GeneratedRemoteTests
{
    [Fact(Timeout = TestTimeouts.Short)]
    public async Task The_generator_registered_every_remote_interface()
    {
        Assert.True(RemoteInterfaceRegistry.IsRegistered<IWorker>());
        Assert.True(RemoteInterfaceRegistry.IsRegistered<IWorkerBase>());
        Assert.True(RemoteInterfaceRegistry.IsRegistered<IWorkObserver>());
        Assert.True(RemoteInterfaceRegistry.IsRegistered<IWorkSession>());
        Assert.False(RemoteInterfaceRegistry.IsRegistered<ICalculatorLike>());
        await using var pair = await WorkerPair.CreateAsync();
        Assert.IsAssignableFrom<RemoteProxy>(pair.Worker);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Every_return_kind_reaches_the_caller()
    {
        await using var pair = await WorkerPair.CreateAsync();
        var worker = pair.Worker;

        await worker.ResetAsync();
        Assert.Equal(5, await worker.AddAsync(5));
        Assert.Equal(5, await worker.TotalAsync());
        await worker.ClearAsync();
        Assert.Equal(0, await worker.TotalAsync());
        Assert.Equal(7, await Task.Run(() => worker.Add(3, 4)));
        Assert.Equal(2, await worker.AddAsync(2));
        await Task.Run(worker.Reset);
        Assert.Equal(0, await worker.TotalAsync());
        Assert.Equal("the worker", await Task.Run(() => worker.Label));
        Assert.Equal(81, await Task.Run(() => worker[9]));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task User_types_travel_by_value_through_generated_formatters()
    {
        await using var pair = await WorkerPair.CreateAsync();

        var echoed = await pair.Worker.EchoAsync(new WorkItem(4, "héllo", ["a", "b"]));
        var found = await Task.Run(() => pair.Worker.Find(2));
        var missing = await Task.Run(() => pair.Worker.Find(-1));

        Assert.Equal((4, "héllo"), (echoed.Id, echoed.Name));
        Assert.Equal(["a", "b", "echoed"], echoed.Tags);
        Assert.Equal(new WorkItem(2, "item 2", ["found"]).Name, found!.Name);
        Assert.Null(missing);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Overloads_reach_their_own_method()
    {
        await using var pair = await WorkerPair.CreateAsync();

        Assert.Equal("int 1", await pair.Worker.DescribeAsync(1));
        Assert.Equal("string 1", await pair.Worker.DescribeAsync("1"));
        Assert.Equal("int 1 x", await pair.Worker.DescribeAsync(1, "x"));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Inherited_members_work_through_the_derived_and_the_base_interface()
    {
        await using var pair = await WorkerPair.CreateAsync();
        var asBase = pair.Client.Get<IWorkerBase>(WorkerPair.Name);

        Assert.Equal("worker", await pair.Worker.NameAsync());
        Assert.Equal(3, await pair.Worker.VersionAsync());
        Assert.Equal("worker", await asBase.NameAsync());
        Assert.Equal(3, await asBase.VersionAsync());
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_token_canceled_before_the_call_sends_nothing()
    {
        await using var pair = await WorkerPair.CreateAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pair.Worker.WaitAsync(1, cts.Token));

        Assert.Equal(1, await pair.Worker.AddAsync(1));
        Assert.Equal(1, Volatile.Read(ref pair.Implementation.Calls));
        Assert.False(pair.Implementation.Started.Task.IsCompleted);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Cancellation_during_a_call_cancels_the_remote_work()
    {
        await using var pair = await WorkerPair.CreateAsync();
        using var cts = new CancellationTokenSource();

        var call = pair.Worker.WaitAsync(1, cts.Token);
        await pair.Implementation.Started.Task;
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(await pair.Implementation.Canceled.Task);
        Assert.Equal(2, await pair.Worker.AddAsync(2));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_call_that_is_not_canceled_gets_its_result()
    {
        await using var pair = await WorkerPair.CreateAsync();
        using var cts = new CancellationTokenSource();

        var call = pair.Worker.WaitAsync(10, cts.Token);
        await pair.Implementation.Started.Task;
        pair.Implementation.Gate.SetResult(5);

        Assert.Equal(15, await call);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Canceling_completes_the_caller_promptly_even_if_the_remote_side_ignores_the_token()
    {
        await using var pair = await WorkerPair.CreateAsync(DispatchPolicy.Concurrent);
        using var cts = new CancellationTokenSource();

        var call = pair.Worker.IgnoreTokenAsync(cts.Token);
        await pair.Implementation.Started.Task;
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.False(pair.Implementation.Release.Task.IsCompleted);
        pair.Implementation.Release.SetResult();
        Assert.Equal(4, await pair.Worker.AddAsync(4));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Progress_reports_arrive_in_order_before_the_call_completes()
    {
        await using var pair = await WorkerPair.CreateAsync();
        var reports = new List<WorkProgress>();
        var progress = new SynchronousProgress<WorkProgress>(reports.Add);

        var result = await pair.Worker.RunAsync(20, progress);

        Assert.Equal(20, result);
        Assert.Equal(Enumerable.Range(1, 20), reports.Select(r => r.Done));
        Assert.Equal("even", reports[1].Stage);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_stream_delivers_every_item_in_order()
    {
        await using var pair = await WorkerPair.CreateAsync(streamWindow: 8);

        var items = new List<int>();
        await foreach (var item in pair.Worker.CountAsync(500))
        {
            items.Add(item);
        }

        Assert.Equal(Enumerable.Range(0, 500), items);
        await RpcConnectionTests.WaitUntilAsync(() => Volatile.Read(ref pair.Implementation.StreamDisposed) == 1);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Breaking_out_of_a_stream_stops_the_producer()
    {
        await using var pair = await WorkerPair.CreateAsync(streamWindow: 4);

        await foreach (var item in pair.Worker.CountAsync(1_000_000))
        {
            if (item == 10)
            {
                break;
            }
        }

        await RpcConnectionTests.WaitUntilAsync(() => Volatile.Read(ref pair.Implementation.StreamDisposed) == 1);
        Assert.True(pair.Implementation.StreamItemsProduced < 100, $"{pair.Implementation.StreamItemsProduced} items were produced for 11 consumed.");
        Assert.Equal(1, await pair.Worker.AddAsync(1));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_callback_passed_by_reference_is_called_back_during_the_call_and_released_after()
    {
        await using var pair = await WorkerPair.CreateAsync();
        var observer = new RecordingObserver("reply to ");

        var length = await pair.Worker.NotifyAsync(observer, "value 42");

        Assert.Equal("reply to value 42".Length, length);
        Assert.Equal(["value 42"], observer.Messages);
        await GcHelper.CollectUntilAsync(() => pair.Client.ExportedObjectCount == 0, "the client to release the observer");
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Returned_remote_objects_are_proxies_that_release_their_object_when_disposed()
    {
        await using var pair = await WorkerPair.CreateAsync();

        var opened = await Task.Run(() => pair.Worker.Open("first"));
        var openedAsync = await pair.Worker.OpenAsync("second");
        var found = await pair.Worker.FindSessionAsync("third");
        var missing = await pair.Worker.FindSessionAsync(string.Empty);

        Assert.IsAssignableFrom<RemoteProxy>(opened);
        Assert.Equal("first", await opened.NameAsync());
        Assert.Equal("second", await openedAsync.NameAsync());
        Assert.Equal("third", await found!.NameAsync());
        Assert.Equal(1, await Task.Run(() => opened.Calls));
        Assert.Null(missing);
        Assert.Equal(3, pair.Server.ExportedObjectCount);

        ((IDisposable)opened).Dispose();
        ((IDisposable)openedAsync).Dispose();
        ((IDisposable)found).Dispose();
        await RpcConnectionTests.WaitUntilAsync(() => pair.Server.ExportedObjectCount == 0);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => opened.NameAsync());
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task One_way_calls_return_at_once_and_run_remotely()
    {
        await using var pair = await WorkerPair.CreateAsync();

        pair.Worker.Fire("fired");
        var task = pair.Worker.FireAsync("fired async");

        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal("fired", await pair.Implementation.Fired.Task);
        Assert.Equal("fired async", await pair.Implementation.FiredAsync.Task);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_remote_exception_keeps_its_type_message_and_remote_stack_and_the_connection_stays_usable()
    {
        await using var pair = await WorkerPair.CreateAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => pair.Worker.FailAsync("boom"));

        Assert.Equal("boom", ex.Message);
        Assert.Contains("ThrowDeep", ex.StackTrace, StringComparison.Ordinal);
        Assert.Contains("--- End of stack trace from previous location ---", ex.StackTrace, StringComparison.Ordinal);
        Assert.Equal(1, await pair.Worker.AddAsync(1));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_user_exception_type_is_rethrown_with_its_own_type_its_inner_exception_and_its_remote_stack()
    {
        await using var pair = await WorkerPair.CreateAsync();

        var ex = await Assert.ThrowsAsync<OrderRejectedException>(() => pair.Worker.RejectAsync("out of stock"));

        Assert.Equal("out of stock", ex.Message);
        Assert.Equal("bad quantity", Assert.IsType<FormatException>(ex.InnerException).Message);
        Assert.Contains("RejectDeep", ex.StackTrace, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task An_exception_type_generated_code_cannot_name_comes_back_as_a_RemoteException()
    {
        await using var pair = await WorkerPair.CreateAsync();

        var ex = await Assert.ThrowsAsync<RemoteException>(() => pair.Worker.FailPrivatelyAsync());

        Assert.EndsWith("+PrivateException", ex.RemoteTypeName, StringComparison.Ordinal);
        Assert.Equal("private", ex.Message);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Ordered_dispatch_runs_one_call_at_a_time_in_arrival_order_under_concurrent_callers()
    {
        await using var pair = await WorkerPair.CreateAsync();

        var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 250; i++)
            {
                await pair.Worker.AddAsync(1 + (i % 2));
            }
        }));
        await Task.WhenAll(callers);

        Assert.Equal(1, pair.Implementation.MaxConcurrency);
        Assert.Equal(4 * 250 * 3 / 2, await pair.Worker.TotalAsync());
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Calls_from_one_caller_run_in_the_order_sent()
    {
        await using var pair = await WorkerPair.CreateAsync();

        var calls = Enumerable.Range(1, 200).Select(i => pair.Worker.AddAsync(i)).ToArray();
        var results = await Task.WhenAll(calls);

        Assert.Equal(Enumerable.Range(1, 200).Select(i => i * (i + 1) / 2), results);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_lost_connection_fails_every_pending_call()
    {
        var pair = await WorkerPair.CreateAsync();
        var pending = pair.Worker.WaitAsync(1, CancellationToken.None);
        await pair.Implementation.Started.Task;

        await pair.Server.DisposeAsync();

        await Assert.ThrowsAsync<ConnectionLostException>(() => pending);
        await Assert.ThrowsAsync<ConnectionLostException>(() => pair.Worker.AddAsync(1));
        await pair.DisposeAsync();
    }

    /// <summary>Not [Remote]: no proxy is generated for it.</summary>
    public interface ICalculatorLike
    {
        Task<int> AddAsync(int delta);
    }

    /// <summary>A client and a server connected in memory, with a <see cref="Rpc.Worker"/> exposed.</summary>
    private sealed class WorkerPair : IAsyncDisposable
    {
        public const string Name = "worker";

        private WorkerPair(RpcConnection client, RpcConnection server, Worker implementation)
        {
            Client = client;
            Server = server;
            Implementation = implementation;
            Worker = client.Get<IWorker>(Name);
        }

        public RpcConnection Client { get; }

        public RpcConnection Server { get; }

        public Worker Implementation { get; }

        public IWorker Worker { get; }

        public static Task<WorkerPair> CreateAsync(DispatchPolicy policy = DispatchPolicy.Ordered, int streamWindow = 64)
        {
            var options = new RpcConnectionOptions { StreamWindow = streamWindow };
            var (client, server) = RpcConnection.CreateInProcessPair(options, options);
            var implementation = new Worker();
            server.Expose<IWorker>(Name, implementation, policy);
            return Task.FromResult(new WorkerPair(client, server, implementation));
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Server.DisposeAsync();
        }
    }
}
