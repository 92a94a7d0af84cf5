using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Processional.Tests.Slaves;

/// <summary>One slave shared by the tests of a class that do not need a fresh one (each start costs a few hundred ms).</summary>
public sealed class SharedSlaveFixture : IAsyncLifetime
{
    private SlaveProcess? _slave;

    public SlaveProcess Slave => _slave ?? throw new InvalidOperationException("The slave is not started.");

    public async Task InitializeAsync() => _slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "lambdas" });

    public async Task DisposeAsync()
    {
        if (_slave is not null)
        {
            await _slave.DisposeAsync();
        }
    }
}

/// <summary>A user type sent by value in captures and results: its formatter is generated because lambdas root it.</summary>
public sealed record Order(int Id, string Customer, List<Line> Lines);

/// <summary>A line of an <see cref="Order"/>.</summary>
public sealed record Line(string Sku, int Quantity);

/// <summary>A counter kept in the slave and called through a proxy.</summary>
[Remote]
public interface ICounter
{
    int Add(int delta);

    int ProcessId();
}

/// <summary>The slave's counter.</summary>
public sealed class Counter(int start) : ICounter
{
    private int _value = start;

    public int Add(int delta) => _value += delta;

    public int ProcessId() => Environment.ProcessId;
}

/// <summary>A serializable class whose lambdas use <c>this</c>: it travels to the slave by value.</summary>
public sealed class Greeter
{
    public string Greeting { get; set; } = "Hello";

    public string Name { get; set; } = "world";

    public Task<string> GreetInAsync(SlaveProcess slave) => slave.InvokeAsync(() => $"{Greeting}, {Name} from {Environment.ProcessId}");

    public Task<string> RepeatInAsync(SlaveProcess slave, int times) => slave.InvokeAsync(() => string.Concat(Enumerable.Repeat(Name, times)));

    public Task<string> RenameInAsync(SlaveProcess slave) => slave.InvokeAsync(() =>
    {
        Name = "slave";
        return this.Name;
    });
}

/// <summary>Something run through an interface implemented explicitly.</summary>
public interface IRunner
{
    int Run(SlaveProcess slave);
}

/// <summary>Lambdas written in members of several kinds: the slave finds each by the member's metadata name.</summary>
public sealed class MemberLambdas : IRunner
{
    public MemberLambdas(SlaveProcess slave)
    {
        var seed = 3;
        FromConstructor = slave.Invoke(() => seed + Environment.ProcessId);
        Current = slave;
    }

    public static SlaveProcess? Current { get; private set; }

    public static int FromGetter => Current!.Invoke(() => Environment.ProcessId + 1);

    public int FromConstructor { get; }

    public static IEnumerable<int> Iterate(SlaveProcess slave)
    {
        var step = 6;
        yield return slave.Invoke(() => step + Environment.ProcessId);
    }

    int IRunner.Run(SlaveProcess slave)
    {
        var offset = 2;
        return slave.Invoke(() => Environment.ProcessId + offset);
    }
}

/// <summary>
/// Lambdas intercepted by the source generator (nothing hand-written), run in a real child process: captures of every
/// kind arrive by value, async lambdas are awaited there, objects stay there behind handles and proxies.
/// </summary>
public sealed class GeneratedLambdaTests(SharedSlaveFixture fixture) : IClassFixture<SharedSlaveFixture>
{
    private SlaveProcess Slave => fixture.Slave;

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_lambda_runs_in_the_slave_process()
    {
        var pid = await Task.Run(() => Slave.Invoke(() => Environment.ProcessId));

        Assert.Equal(Slave.ProcessId, pid);
        Assert.NotEqual(Environment.ProcessId, pid);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Primitive_and_string_captures_arrive_by_value()
    {
        var n = 7;
        var ratio = 0.5;
        var text = "abc";
        string? missing = null;

        var result = await Slave.InvokeAsync(() => $"{n * 6}|{ratio}|{text.Length}|{missing ?? "null"}|{Environment.ProcessId}");

        Assert.Equal($"42|0.5|3|null|{Slave.ProcessId}", result);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Records_and_collections_arrive_by_value_and_come_back()
    {
        var order = new Order(1, "ann", [new Line("a", 2), new Line("b", 3)]);
        var list = new List<int> { 1, 2, 3 };
        var counts = new Dictionary<string, int> { ["x"] = 10 };

        var total = await Slave.InvokeAsync(() => order.Lines.Sum(line => line.Quantity) + list.Sum() + counts["x"]);
        var upper = await Slave.InvokeAsync(() => order with { Customer = order.Customer.ToUpperInvariant(), Lines = [.. order.Lines, new Line("c", Environment.ProcessId)] });
        var grown = await Slave.InvokeAsync(() =>
        {
            list.Add(4);
            return list.Count;
        });

        Assert.Equal(21, total);
        Assert.Equal("ANN", upper.Customer);
        Assert.Equal(new Line("c", Slave.ProcessId), upper.Lines[2]);
        Assert.Equal(4, grown);
        Assert.Equal(3, list.Count);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Captures_from_nested_scopes_arrive()
    {
        var outer = 1;
        var results = new List<int>();
        for (var round = 0; round < 2; round++)
        {
            var inner = 2 + round;
            {
                var innermost = 3;
                results.Add(await Slave.InvokeAsync(() => outer + (inner * 10) + (innermost * 100) + (round * 1000)));
            }
        }

        Assert.Equal([321, 1331], results);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_captured_this_of_a_serializable_class_travels_by_value()
    {
        var greeter = new Greeter { Greeting = "Hi", Name = "ann" };

        var greeting = await greeter.GreetInAsync(Slave);
        var renamed = await greeter.RenameInAsync(Slave);

        Assert.Equal($"Hi, ann from {Slave.ProcessId}", greeting);
        Assert.Equal("slave", renamed);
        Assert.Equal("ann", greeter.Name);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_captured_this_travels_with_other_captures()
    {
        var greeter = new Greeter { Name = "ab" };

        Assert.Equal("ababab", await greeter.RepeatInAsync(Slave, 3));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Lambdas_in_constructors_getters_iterators_and_explicit_implementations_run_in_the_slave()
    {
        var pid = Slave.ProcessId;

        var members = await Task.Run(() => new MemberLambdas(Slave));
        var fromGetter = await Task.Run(() => MemberLambdas.FromGetter);
        var fromIterator = await Task.Run(() => MemberLambdas.Iterate(Slave).Single());
        var fromExplicit = await Task.Run(() => ((IRunner)members).Run(Slave));

        Assert.Equal([pid + 3, pid + 1, pid + 6, pid + 2], [members.FromConstructor, fromGetter, fromIterator, fromExplicit]);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Async_lambdas_are_awaited_in_the_slave()
    {
        var delay = 5;

        var pid = await Slave.InvokeAsync(async () =>
        {
            await Task.Delay(delay);
            return Environment.ProcessId;
        });
        await Slave.InvokeAsync(async () =>
        {
            await Task.Yield();
            s_touched = delay;
        });

        Assert.Equal(Slave.ProcessId, pid);
        Assert.Equal(delay, await Slave.InvokeAsync(() => s_touched));
        Assert.Equal(0, s_touched);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Actions_run_in_the_slave()
    {
        var value = 17;

        await Task.Run(() => Slave.Invoke(() => { s_touched = value; }));
        await Slave.InvokeAsync(() => { s_touched += 1; });

        Assert.Equal(18, await Slave.InvokeAsync(() => s_touched));
        Assert.Equal(0, s_touched);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_wrapped_object_stays_in_the_slave_and_is_used_by_later_lambdas()
    {
        var count = 1000;

        using var heavy = await Slave.WrapAsync(() => Enumerable.Range(0, count).ToList());
        var sum = await Slave.InvokeAsync(() => heavy.Value.Sum());
        var copy = await heavy.FetchAsync();

        Assert.Equal(499500, sum);
        Assert.Equal(Enumerable.Range(0, count), copy);
        Assert.Throws<InvalidOperationException>(() => heavy.Value);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_wrapped_object_is_called_through_a_remote_interface()
    {
        var start = 5;

        using var handle = await Slave.WrapAsync(() => new Counter(start));
        var counter = handle.As<ICounter>();

        Assert.Equal(7, await Task.Run(() => counter.Add(2)));
        Assert.Equal(Slave.ProcessId, await Task.Run(() => counter.ProcessId()));
        Assert.Equal(10, await Slave.InvokeAsync(() => handle.Value.Add(3)));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task CreateAsync_returns_a_proxy_of_an_object_built_in_the_slave()
    {
        var start = 10;

        var counter = await Slave.CreateAsync<ICounter>(() => new Counter(start));

        Assert.Equal(15, await Task.Run(() => counter.Add(5)));
        Assert.Equal(Slave.ProcessId, await Task.Run(() => counter.ProcessId()));
        ((IDisposable)counter).Dispose();
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_captured_remote_interface_calls_back_into_the_master()
    {
        ICounter local = new Counter(100);

        var (value, pid) = await Slave.InvokeAsync(() => (local.Add(1), local.ProcessId()));

        Assert.Equal(101, value);
        Assert.Equal(Environment.ProcessId, pid);
        Assert.Equal(102, local.Add(1));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task RunThreadAsync_runs_beside_the_main_thread()
    {
        var patience = TestTimeouts.Patience;

        // The thread waits for a signal that a later call on the slave's main thread gives: were the thread call queued
        // on the main thread, the signal could only come after the wait gave up.
        var waited = Slave.RunThreadAsync(() => (s_gate.Wait(patience), Thread.CurrentThread.Name));
        await Slave.InvokeAsync(() => s_gate.Set());
        await Slave.RunThreadAsync(() => { s_threadRan = Thread.CurrentThread.Name; });

        var (signaled, threadName) = await waited;
        Assert.True(signaled);
        Assert.StartsWith("BackgroundThread", threadName, StringComparison.Ordinal);
        Assert.StartsWith("BackgroundThread", await Slave.InvokeAsync(() => s_threadRan), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_remote_exception_keeps_its_type_and_remote_stack()
    {
        var message = "from the slave";

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Slave.InvokeAsync(() => Fail(message)));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(Fail), ex.StackTrace, StringComparison.Ordinal);
        Assert.Equal(Slave.ProcessId, await Slave.InvokeAsync(() => Environment.ProcessId));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Calls_run_in_the_order_sent()
    {
        var tasks = new List<Task<(int Index, long Seen)>>();

        // A for loop's variable is one variable for all iterations: each call copies its value when it is sent.
        for (var i = 0; i < 100; i++)
        {
            tasks.Add(Slave.InvokeAsync(() => (i, Interlocked.Increment(ref s_sequence))));
        }

        var results = await Task.WhenAll(tasks);

        Assert.Equal(Enumerable.Range(0, 100), results.Select(r => r.Index));
        for (var k = 1; k < results.Length; k++)
        {
            Assert.Equal(results[k - 1].Seen + 1, results[k].Seen);
        }
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Anonymous_methods_and_static_lambdas_run_in_the_slave()
    {
        var n = 41;

        var fromAnonymousMethod = await Slave.InvokeAsync(delegate { return n + 1; });
        var fromStaticLambda = await Slave.InvokeAsync(static () => Environment.ProcessId);

        Assert.Equal(42, fromAnonymousMethod);
        Assert.Equal(Slave.ProcessId, fromStaticLambda);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_static_method_group_runs_in_the_slave()
    {
        Assert.Equal(Slave.ProcessId, await Slave.InvokeAsync(CurrentProcessId));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_lambda_passed_through_a_remote_parameter_ships_from_where_it_is_used()
    {
        var n = 21;

        var (value, pid) = await RunInSlaveAsync(Slave, () => (n * 2, Environment.ProcessId));

        Assert.Equal(42, value);
        Assert.Equal(Slave.ProcessId, pid);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_lambda_in_a_local_function_runs_in_the_slave()
    {
        var n = 4;
        var slavePid = Slave.ProcessId;

        int Twice() => Slave.Invoke(() => n * 2 + (Environment.ProcessId == slavePid ? 0 : 1000));

        Assert.Equal(8, await Task.Run(Twice));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_delegate_the_generator_did_not_see_is_refused()
    {
        Func<int> unseen = () => 1;

#pragma warning disable PROC308 // The point of the test.
        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => Slave.InvokeAsync(unseen));
#pragma warning restore PROC308

        Assert.Contains("[Remote]", ex.Message, StringComparison.Ordinal);
    }

    internal static Task<(int, int)> RunInSlaveAsync(SlaveProcess slave, [Remote] Func<(int, int)> work) => slave.InvokeAsync(work);

    internal static int CurrentProcessId() => Environment.ProcessId;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Fail(string message) => throw new InvalidOperationException(message);

    private static readonly ManualResetEventSlim s_gate = new();
    private static int s_touched;
    private static string? s_threadRan;
    private static long s_sequence;
}
