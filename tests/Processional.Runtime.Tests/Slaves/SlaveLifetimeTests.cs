using System.Diagnostics;
using System.Runtime.CompilerServices;
using Processional.Serialization;

namespace Processional.Tests.Slaves;

/// <summary>A node of a linked list: a cycle of them can be built, but not serialized.</summary>
public sealed class ChainNode
{
    public int Value { get; set; }

    public ChainNode? Next { get; set; }
}

/// <summary>
/// The lifetime of slave processes and the faults they meet, with real child processes: a master killed with
/// <c>kill -9</c>, crashes, failed starts, graceful and forced stops, handles released, a dropped slave collected.
/// </summary>
public sealed class SlaveLifetimeTests
{
    private static readonly SlaveProcessOptions Quiet = new() { Output = SlaveOutput.Discard };

    // State kept in the slave's copy of this class (each process has its own statics).
    private static SlaveProcess? s_child;
    private static WeakReference? s_weak;
    private static readonly ManualResetEventSlim s_started = new();
    private static readonly Barrier s_pair = new(2);

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_master_killed_with_sigkill_takes_its_slaves_and_theirs_within_a_second()
    {
        // The test process starts M; M starts S; S starts S2. M is the master killed with kill -9.
        await using var master = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "doomed master", Output = SlaveOutput.Discard });
        var descendants = await master.InvokeAsync(() => StartChainAsync(2));
        Assert.Equal(2, descendants.Length);
        Assert.All(descendants, pid => Assert.True(IsAlive(pid), $"process {pid} should run"));

        master.Kill();   // SIGKILL: the master gets no chance to say goodbye
        await master.Exited.WaitAsync(TestTimeouts.Patience);
        var killedAt = Stopwatch.StartNew();

        foreach (var pid in descendants)
        {
            await WaitUntilGoneAsync(pid, TestTimeouts.Patience);
        }

        // The requirement is one second; the margin absorbs a loaded CI machine (observed: tens of milliseconds).
        Assert.True(killedAt.Elapsed < TimeSpan.FromSeconds(2), $"the slaves outlived their master by {killedAt.Elapsed}");
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_slave_killed_fails_pending_calls_and_the_master_can_start_another()
    {
        var slave = await SlaveProcess.StartAsync(Quiet);
        var pending = slave.InvokeAsync(() => { s_started.Set(); Thread.Sleep(Timeout.Infinite); return 0; });
        var sure = slave.InvokeAsync(() => 1);   // queued behind it

        slave.Kill();

        var first = await Assert.ThrowsAsync<SlaveCrashedException>(() => pending);
        await Assert.ThrowsAsync<SlaveCrashedException>(() => sure);
        Assert.Equal(137, first.ExitCode);   // 128 + SIGKILL
        await slave.DisposeAsync();

        await using var next = await SlaveProcess.StartAsync(Quiet);
        Assert.Equal(next.ProcessId, await next.InvokeAsync(() => Environment.ProcessId));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_slave_that_fails_fast_reports_its_message()
    {
        // FailFast writes its message, then a stack trace: keep enough lines to see the message.
        await using var slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Output = SlaveOutput.Discard, StandardErrorTail = 200 });

        var ex = await Assert.ThrowsAsync<SlaveCrashedException>(() => slave.InvokeAsync(() => FailFast("the end of the slave")));

        Assert.NotNull(ex.ExitCode);
        Assert.Contains("the end of the slave", string.Join("\n", ex.StandardErrorTail), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_slave_that_cannot_start_fails_StartAsync_with_the_reason()
    {
        // A GC heap limit far too small to start the runtime: the child exits before it connects.
        var options = new SlaveProcessOptions
        {
            Name = "starved",
            Output = SlaveOutput.Discard,
            Environment = new Dictionary<string, string?> { ["DOTNET_GCHeapHardLimit"] = "0x10000" },
        };

        var ex = await Assert.ThrowsAsync<SlaveCrashedException>(() => SlaveProcess.StartAsync(options));

        Assert.Contains("starved", ex.Message, StringComparison.Ordinal);
        Assert.Contains("failed to start", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.ExitCode);
        Assert.NotEqual(0, ex.ExitCode);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task An_unserializable_result_fails_only_that_call()
    {
        await using var slave = await SlaveProcess.StartAsync(Quiet);

        var ex = await Assert.ThrowsAsync<ProcessionalSerializationException>(() => slave.InvokeAsync(() =>
        {
            var node = new ChainNode { Value = 1 };
            node.Next = node;   // a cycle: the writer refuses it once the depth limit is reached
            return node;
        }));

        Assert.Contains(nameof(ChainNode), ex.Message, StringComparison.Ordinal);
        Assert.Contains("depth", ex.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(slave.ProcessId, await slave.InvokeAsync(() => Environment.ProcessId));
        var chain = await slave.InvokeAsync(() => new ChainNode { Value = 1, Next = new ChainNode { Value = 2 } });
        Assert.Equal(2, chain.Next!.Value);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task An_unserializable_capture_fails_only_that_call_before_it_is_sent()
    {
        await using var slave = await SlaveProcess.StartAsync(Quiet);
        var node = new ChainNode { Value = 1 };
        node.Next = node;

        await Assert.ThrowsAsync<ProcessionalSerializationException>(() => slave.InvokeAsync(() => node.Value));

        Assert.Equal(slave.ProcessId, await slave.InvokeAsync(() => Environment.ProcessId));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Releasing_the_last_handle_frees_the_object_in_the_slave()
    {
        await using var slave = await SlaveProcess.StartAsync(Quiet);
        var first = await slave.WrapAsync(() => new byte[1000]);
        await slave.InvokeAsync(() => { s_weak = new WeakReference(first.Value); });
        var second = await slave.WrapAsync(() => first.Value);   // the same object wrapped twice

        first.Dispose();
        Assert.True(await slave.InvokeAsync(() => CollectAndCheckAlive()), "the second handle keeps the object");
        await Assert.ThrowsAsync<ObjectDisposedException>(() => first.FetchAsync());

        second.Dispose();
        Assert.False(await slave.InvokeAsync(() => CollectAndCheckAlive()), "both handles are released: the object must be freed");
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_handle_dropped_without_dispose_releases_its_object_once_collected()
    {
        await using var slave = await SlaveProcess.StartAsync(Quiet);
        await WrapAndDropAsync(slave);

        // The handle's finalizer sends the release; the slave frees the object when it reads it.
        var deadline = Stopwatch.StartNew();
        while (await slave.InvokeAsync(() => CollectAndCheckAlive()))
        {
            Assert.True(deadline.Elapsed < TestTimeouts.Patience, "the collected handle never released its object in the slave");
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(10);
        }
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_slave_process_dropped_without_dispose_is_killed_once_collected()
    {
        var pid = await StartAndDropAsync();

        await GcHelper.CollectUntilAsync(() => !IsAlive(pid), "the dropped slave's process is killed by its finalizer");
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Dispose_lets_the_call_in_flight_finish_by_default()
    {
        var slave = await SlaveProcess.StartAsync(Quiet);
        var call = slave.InvokeAsync(() => { s_started.Set(); Thread.Sleep(300); return "finished"; });
        var patience = TestTimeouts.Patience;
        await slave.RunThreadAsync(() => s_started.Wait(patience));

        await slave.DisposeAsync();

        Assert.Equal("finished", await call);
        Assert.Equal(0, slave.ExitCode);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => slave.InvokeAsync(() => 1));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Dispose_cancels_the_call_in_flight_when_asked()
    {
        var slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Output = SlaveOutput.Discard, CancelCallsOnStop = true });
        var patience = TestTimeouts.Patience;
        var call = slave.InvokeAsync(() =>
        {
            s_started.Set();
            return RemoteCall.CancellationToken.WaitHandle.WaitOne(patience) ? "canceled" : "never canceled";
        });
        await slave.RunThreadAsync(() => s_started.Wait(patience));

        await slave.DisposeAsync();

        Assert.Equal("canceled", await call);
        Assert.Equal(0, slave.ExitCode);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Dispose_kills_a_slave_that_does_not_stop_within_the_stop_timeout()
    {
        var slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Output = SlaveOutput.Discard, StopTimeout = TimeSpan.FromMilliseconds(300) });
        var call = slave.InvokeAsync(() => { s_started.Set(); Thread.Sleep(Timeout.Infinite); return 0; });
        var patience = TestTimeouts.Patience;
        await slave.RunThreadAsync(() => s_started.Wait(patience));

        await slave.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Patience);

        Assert.NotEqual(0, slave.ExitCode);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => call);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Dispose_under_load_finishes_or_refuses_every_call_and_loses_none()
    {
        var slave = await SlaveProcess.StartAsync(Quiet);
        var calls = new List<Task<int>>();
        for (var i = 0; i < 2000; i++)
        {
            var n = i;
            calls.Add(slave.InvokeAsync(() => n));
        }

        var disposing = slave.DisposeAsync().AsTask();
        var late = await Record.ExceptionAsync(() => slave.InvokeAsync(() => -1));
        await disposing.WaitAsync(TestTimeouts.Patience);

        Assert.IsType<ObjectDisposedException>(late);

        // A graceful stop lets every call sent before it finish, each with its own value; none hangs.
        var results = await Task.WhenAll(calls).WaitAsync(TestTimeouts.Patience);
        Assert.Equal(Enumerable.Range(0, calls.Count), results);
        Assert.Equal(0, slave.ExitCode);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Kill_under_load_fails_every_pending_call_promptly()
    {
        var slave = await SlaveProcess.StartAsync(Quiet);
        var calls = Enumerable.Range(0, 2000).Select(i => slave.InvokeAsync(() => { Thread.Sleep(1); return i; })).ToList();

        slave.Kill();

        var outcomes = await Task.WhenAll(calls.Select(c => Record.ExceptionAsync(() => c.WaitAsync(TestTimeouts.Patience))));
        Assert.All(outcomes, o => Assert.True(o is null or SlaveCrashedException, $"unexpected {o}"));
        Assert.Contains(outcomes, o => o is SlaveCrashedException);
        await slave.DisposeAsync();
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_canceled_call_cancels_the_remote_work()
    {
        await using var slave = await SlaveProcess.StartAsync(Quiet);
        using var cts = new CancellationTokenSource();
        var patience = TestTimeouts.Patience;
        var call = slave.InvokeAsync(
            () =>
            {
                s_started.Set();
                return RemoteCall.CancellationToken.WaitHandle.WaitOne(patience);
            },
            cts.Token);
        await slave.RunThreadAsync(() => s_started.Wait(patience));

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        // The slave saw the cancellation: its main thread is free again for the next call.
        Assert.Equal(slave.ProcessId, await slave.InvokeAsync(() => Environment.ProcessId).WaitAsync(patience));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_thousand_pipelined_calls_returning_100_KB_each_all_complete()
    {
        await using var slave = await SlaveProcess.StartAsync(Quiet);
        var calls = new Task<byte[]>[1000];

        for (var i = 0; i < calls.Length; i++)
        {
            var fill = (byte)i;
            calls[i] = slave.InvokeAsync(() =>
            {
                var block = new byte[100_000];
                block.AsSpan().Fill(fill);
                return block;
            });
        }

        var results = await Task.WhenAll(calls);
        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(100_000, results[i].Length);
            Assert.True(results[i].AsSpan().IndexOfAnyExcept((byte)i) < 0, $"call {i} returned another call's bytes");
        }
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task RunThreadAsync_overlaps_two_half_second_calls()
    {
        await using var slave = await SlaveProcess.StartAsync(Quiet);
        var patience = TestTimeouts.Patience;

        // Each call works for half a second, then waits at a barrier for the other: both pass only if they run at once.
        var first = slave.RunThreadAsync(() => { Thread.Sleep(500); return (s_pair.SignalAndWait(patience), Environment.CurrentManagedThreadId); });
        var second = slave.RunThreadAsync(() => { Thread.Sleep(500); return (s_pair.SignalAndWait(patience), Environment.CurrentManagedThreadId); });
        var results = await Task.WhenAll(first, second);

        Assert.All(results, r => Assert.True(r.Item1, "the two thread calls did not overlap"));
        Assert.NotEqual(results[0].Item2, results[1].Item2);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Output_is_forwarded_line_by_line_with_the_slave_name()
    {
        var logger = new ListLogger();
        await using var slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "talker", Output = SlaveOutput.Logger, Logger = logger });

        await slave.InvokeAsync(() => { Console.WriteLine("hello from the slave"); Console.Out.Flush(); });

        await logger.WaitForAsync("hello from the slave");
        Assert.Contains(logger.Lines, l => l.StartsWith("Information: [talker]", StringComparison.Ordinal) && l.Contains("hello from the slave", StringComparison.Ordinal));
    }

    private static async Task<int[]> StartChainAsync(int depth)
    {
        s_child = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = $"chain {depth}", Output = SlaveOutput.Discard });
        var below = depth > 1 ? await s_child.InvokeAsync(() => StartChainAsync(depth - 1)) : [];
        return [s_child.ProcessId, .. below];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<int> StartAndDropAsync()
    {
        var slave = await SlaveProcess.StartAsync(Quiet);
        Assert.Equal(slave.ProcessId, await slave.InvokeAsync(() => Environment.ProcessId));
        return slave.ProcessId;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task WrapAndDropAsync(SlaveProcess slave)
    {
        var handle = await slave.WrapAsync(() => new byte[1000]);
        await slave.InvokeAsync(() => { s_weak = new WeakReference(handle.Value); });
        Assert.True(await slave.InvokeAsync(() => CollectAndCheckAlive()));
    }

    private static bool CollectAndCheckAlive()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return s_weak!.IsAlive;
    }

    private static int FailFast(string message)
    {
        Environment.FailFast(message);
        return 0;
    }

    private static bool IsAlive(int pid)
    {
        // A zombie (state Z) has exited; it only waits for its parent to read its status.
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task WaitUntilGoneAsync(int pid, TimeSpan patience)
    {
        // Not a child of this process, so there is no exit event to await: poll /proc.
        var deadline = Stopwatch.StartNew();
        while (IsAlive(pid))
        {
            Assert.True(deadline.Elapsed < patience, $"process {pid} is still running after {patience}");
            await Task.Delay(10);
        }
    }
}

