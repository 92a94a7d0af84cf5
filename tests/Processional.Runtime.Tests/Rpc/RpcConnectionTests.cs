using Processional.Rpc;
using Processional.Serialization;
using Processional.Transport;

namespace Processional.Tests.Rpc;

public sealed class RpcConnectionTests
{
    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Every_return_kind_reaches_the_caller()
    {
        await using var pair = await RpcPair.CreateAsync();
        var calculator = pair.Calculator;

        Assert.Equal(5, await calculator.AddAsync(5));
        Assert.Equal("héllo", await calculator.EchoAsync("héllo"));
        Assert.Equal(7, await Task.Run(() => calculator.Add(3, 4)));
        await Task.Run(calculator.Reset);
        Assert.Equal(2, await calculator.AddAsync(2));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_remote_exception_keeps_its_type_message_and_remote_stack_and_the_connection_stays_usable()
    {
        await using var pair = await RpcPair.CreateAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => pair.Calculator.FailAsync("boom"));

        Assert.Equal("boom", ex.Message);
        Assert.Contains("ThrowDeep", ex.StackTrace, StringComparison.Ordinal);
        Assert.Contains("--- End of stack trace from previous location ---", ex.StackTrace, StringComparison.Ordinal);
        Assert.Equal(1, await pair.Calculator.AddAsync(1));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task An_unknown_exception_type_becomes_a_RemoteException_with_the_remote_type_name()
    {
        var info = RemoteExceptionInfo.Capture(new MyCustomException("custom"));

        var ex = Assert.IsType<RemoteException>(RemoteExceptions.Create(info));

        Assert.Equal(typeof(MyCustomException).FullName, ex.RemoteTypeName);
        Assert.Equal("custom", ex.Message);
        await Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_result_that_cannot_be_serialized_fails_that_call_only()
    {
        await using var pair = await RpcPair.CreateAsync();

        var ex = await Task.Run(() => Assert.Throws<ProcessionalSerializationException>(() => pair.Calculator.Unserializable()));

        Assert.Contains("could not be serialized", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, await pair.Calculator.AddAsync(3));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Cancellation_during_a_call_cancels_the_remote_work()
    {
        await using var pair = await RpcPair.CreateAsync();
        using var cts = new CancellationTokenSource();
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        var call = pair.Calculator.WaitAsync(gate, cts.Token).AsTask();
        await WaitUntilAsync(() => pair.Implementation.LastToken.CanBeCanceled);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(await pair.Implementation.Canceled.Task);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Canceling_completes_the_caller_promptly_even_if_the_remote_side_ignores_the_token()
    {
        await using var pair = await RpcPair.CreateAsync(DispatchPolicy.Concurrent);
        using var cts = new CancellationTokenSource();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var call = pair.Calculator.SlowIgnoringTokenAsync(gate, cts.Token);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        gate.SetResult();
        Assert.Equal(4, await pair.Calculator.AddAsync(4));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_token_canceled_before_the_call_sends_nothing()
    {
        await using var pair = await RpcPair.CreateAsync();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pair.Calculator.AddAsync(100, cts.Token).AsTask());

        Assert.Equal(1, await pair.Calculator.AddAsync(1));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Progress_reports_arrive_in_order_before_the_call_completes()
    {
        await using var pair = await RpcPair.CreateAsync();
        var reports = new List<int>();
        var progress = new SynchronousProgress<int>(reports.Add);

        var result = await pair.Calculator.StepsAsync(20, progress);

        Assert.Equal(20, result);
        Assert.Equal(Enumerable.Range(1, 20), reports);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_stream_delivers_every_item_in_order()
    {
        await using var pair = await RpcPair.CreateAsync(streamWindow: 8);

        var items = new List<int>();
        await foreach (var item in pair.Calculator.CountAsync(500))
        {
            items.Add(item);
        }

        Assert.Equal(Enumerable.Range(0, 500), items);
        await WaitUntilAsync(() => Volatile.Read(ref pair.Implementation.StreamDisposed) == 1);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Breaking_out_of_a_stream_stops_the_producer()
    {
        await using var pair = await RpcPair.CreateAsync(streamWindow: 4);

        await foreach (var item in pair.Calculator.CountAsync(1_000_000))
        {
            if (item == 10)
            {
                break;
            }
        }

        await WaitUntilAsync(() => Volatile.Read(ref pair.Implementation.StreamDisposed) == 1);
        Assert.True(pair.Implementation.StreamItemsProduced < 100, $"{pair.Implementation.StreamItemsProduced} items were produced for 11 consumed.");
        Assert.Equal(1, await pair.Calculator.AddAsync(1));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_stream_can_be_enumerated_once()
    {
        await using var pair = await RpcPair.CreateAsync();
        var stream = pair.Calculator.CountAsync(3);

        await foreach (var _ in stream)
        {
        }

        Assert.Throws<InvalidOperationException>(() => stream.GetAsyncEnumerator());
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_callback_passed_by_reference_is_called_back_during_the_call_and_released_after()
    {
        await using var pair = await RpcPair.CreateAsync();
        var notifier = new Notifier("reply to ");

        var length = await pair.Calculator.CallBackAsync(notifier, 42);

        Assert.Equal("reply to value 42".Length, length);
        Assert.Equal(["value 42"], notifier.Messages);
        await pair.CollectUntilClientExportsAsync(0);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_returned_object_is_a_proxy_that_releases_its_object_when_disposed()
    {
        await using var pair = await RpcPair.CreateAsync();

        var notifier = await Task.Run(() => pair.Calculator.CreateNotifier("n:"));

        Assert.IsAssignableFrom<RemoteProxy>(notifier);
        Assert.Equal("n:hi", await notifier.NotifyAsync("hi"));
        Assert.Equal(1, pair.Server.ExportedObjectCount);
        ((IDisposable)notifier).Dispose();
        await WaitUntilAsync(() => pair.Server.ExportedObjectCount == 0);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => notifier.NotifyAsync("again").AsTask());
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_proxy_sent_back_to_its_owner_resolves_to_the_object_itself()
    {
        await using var pair = await RpcPair.CreateAsync();
        var notifier = await Task.Run(() => pair.Calculator.CreateNotifier("own:"));

        // The client passes the server's own object back: the server must call it directly, not through a proxy.
        var length = await pair.Calculator.CallBackAsync(notifier, 1);

        Assert.Equal("own:value 1".Length, length);
        ((IDisposable)notifier).Dispose();
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task One_way_calls_return_at_once_and_run_remotely()
    {
        await using var pair = await RpcPair.CreateAsync();

        pair.Calculator.Fire("fired");

        Assert.Equal("fired", await pair.Implementation.FiredSignal.Task);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Ordered_dispatch_runs_one_call_at_a_time_in_arrival_order_under_concurrent_callers()
    {
        await using var pair = await RpcPair.CreateAsync();

        var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 250; i++)
            {
                await pair.Calculator.AddAsync(1 + (i % 2));
            }
        }));
        await Task.WhenAll(callers);

        Assert.Equal(1, pair.Implementation.MaxConcurrency);
        Assert.Equal(4 * 250 * 3 / 2, await pair.Calculator.AddAsync(0));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Calls_from_one_caller_run_in_the_order_sent()
    {
        await using var pair = await RpcPair.CreateAsync();

        var calls = Enumerable.Range(1, 200).Select(i => pair.Calculator.AddAsync(i).AsTask()).ToArray();
        var results = await Task.WhenAll(calls);

        // Each result is the running total: calls ran in the order they were sent.
        Assert.Equal(Enumerable.Range(1, 200).Select(i => i * (i + 1) / 2), results);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_reply_held_for_a_burst_still_leaves_while_the_next_call_blocks()
    {
        await using var pair = await RpcPair.CreateAsync();
        var proxy = (CalculatorProxy)pair.Calculator;
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The queue holds: a blocked call, a quick one, and a call that blocks behind it.
        var blocker = proxy.BlockOnAsync(first).AsTask();
        var quick = pair.Calculator.AddAsync(2).AsTask();
        var blocked = proxy.BlockOnAsync(second).AsTask();
        await WaitUntilAsync(() => pair.Server.QueuedCalls("calculator") == 2);
        first.SetResult();

        // The quick call's reply is held while a call waits behind it, but leaves within the backstop.
        Assert.Equal(2, await quick);
        Assert.Equal(1, await blocker);
        Assert.False(blocked.IsCompleted);
        second.SetResult();
        Assert.Equal(1, await blocked);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_burst_of_pipelined_calls_is_answered_in_few_writes()
    {
        await using var pair = await RpcPair.CreateAsync();
        var proxy = (CalculatorProxy)pair.Calculator;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = proxy.BlockOnAsync(gate).AsTask();
        // Even deltas: AddAsync completes synchronously (odd ones await inside, which ends a batch).
        var calls = Enumerable.Range(0, 200).Select(_ => pair.Calculator.AddAsync(2).AsTask()).ToArray();
        await WaitUntilAsync(() => pair.Server.QueuedCalls("calculator") == 200);
        var writesBefore = pair.ServerWrites;

        gate.SetResult();
        await Task.WhenAll(calls);
        await blocker;

        var writes = pair.ServerWrites - writesBefore;
        Assert.True(writes < 50, $"{writes} writes for 201 replies.");
        Assert.Equal(400, await calls[^1]);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_lost_connection_fails_every_pending_call()
    {
        var pair = await RpcPair.CreateAsync();
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = pair.Calculator.WaitAsync(gate, CancellationToken.None).AsTask();

        await pair.Server.DisposeAsync();

        await Assert.ThrowsAsync<ConnectionLostException>(() => pending);
        await Assert.ThrowsAsync<ConnectionLostException>(() => pair.Calculator.AddAsync(1).AsTask());
        await pair.Client.Completion;
        Assert.False(pair.Client.IsOpen);
        await pair.DisposeAsync();
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Calling_a_name_nobody_exposes_fails_with_a_clear_error()
    {
        await using var pair = await RpcPair.CreateAsync();
        var missing = pair.Client.Get<ICalculator>("nobody");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => missing.AddAsync(1).AsTask());

        Assert.Contains("No object is exposed under the name", ex.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Exposing_checks_its_arguments()
    {
        await using var pair = await RpcPair.CreateAsync();

        Assert.Throws<InvalidOperationException>(() => pair.Server.Expose<ICalculator>("calculator", new Calculator()));
        Assert.Throws<ArgumentException>(() => pair.Server.Expose("plain", new object()));
        Assert.True(pair.Server.Unexpose("calculator"));
        Assert.False(pair.Server.Unexpose("calculator"));
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

    private sealed class MyCustomException(string message) : Exception(message);
}

/// <summary>An IProgress that reports synchronously, so that ordering is the transport's, not the thread pool's.</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

/// <summary>A client and a server connected in memory, with a <see cref="Calculator"/> exposed.</summary>
internal sealed class RpcPair : IAsyncDisposable
{
    private RpcPair(RpcConnection client, RpcConnection server, Calculator implementation)
    {
        Client = client;
        Server = server;
        Implementation = implementation;
        Calculator = client.Get<ICalculator>("calculator");
    }

    public RpcConnection Client { get; }

    public RpcConnection Server { get; }

    public Calculator Implementation { get; }

    public ICalculator Calculator { get; }

    /// <summary>How many sends (single or batched) the server's transport made.</summary>
    public int ServerWrites => InMemoryRpcTransport.WritesBy(Server);

    public static Task<RpcPair> CreateAsync(DispatchPolicy policy = DispatchPolicy.Ordered, int streamWindow = 64)
    {
        var options = new RpcConnectionOptions { StreamWindow = streamWindow };
        var (client, server) = RpcConnection.CreateInProcessPair(options, options);
        var implementation = new Calculator();
        server.Expose<ICalculator>("calculator", implementation, policy);
        return Task.FromResult(new RpcPair(client, server, implementation));
    }

    public async Task CollectUntilClientExportsAsync(int count) =>
        await GcHelper.CollectUntilAsync(() => Client.ExportedObjectCount == count, $"the client to export {count} objects");

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
