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
}
