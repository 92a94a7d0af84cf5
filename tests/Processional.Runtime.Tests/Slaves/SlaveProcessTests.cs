using System.Runtime.CompilerServices;

namespace Processional.Tests.Slaves;

public sealed class SlaveProcessTests
{
    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Slave_runs_in_another_process_with_the_same_program()
    {
        await using var slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "pid" });

        var pid = await Task.Run(() => slave.CallLambda<int>(HandWrittenLambdas.ProcessId, () => Environment.ProcessId, default));

        Assert.Equal(slave.ProcessId, pid);
        Assert.NotEqual(Environment.ProcessId, pid);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Captured_variables_travel_by_value()
    {
        await using var slave = await SlaveProcess.StartAsync();
        var n = 7;
        var text = "abc";

        var result = await slave.CallLambdaAsync<int>(HandWrittenLambdas.Captures, () => n * 6 + text.Length, default);

        Assert.Equal(45, result);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_remote_exception_keeps_its_type_and_remote_stack()
    {
        await using var slave = await SlaveProcess.StartAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => slave.CallLambdaAsync<int>(HandWrittenLambdas.Throws, () => Fail(), default));

        Assert.Contains("from the slave", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(Fail), ex.StackTrace, StringComparison.Ordinal);
        Assert.Equal(slave.ProcessId, await slave.CallLambdaAsync<int>(HandWrittenLambdas.ProcessIdAfterFailure, () => Environment.ProcessId, default));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_crashed_slave_fails_pending_calls_with_its_exit_code_and_last_words()
    {
        await using var slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Output = SlaveOutput.Discard });

        var ex = await Assert.ThrowsAsync<SlaveCrashedException>(() => slave.CallLambdaAsync<int>(HandWrittenLambdas.Crash, () => CrashHard(), default));

        Assert.Equal(42, ex.ExitCode);
        Assert.Contains("last words", string.Join("\n", ex.StandardErrorTail), StringComparison.Ordinal);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Fail() => throw new InvalidOperationException("from the slave");

    private static int CrashHard()
    {
        Console.Error.WriteLine("last words");
        Console.Error.Flush();
        Environment.Exit(42);
        return 0;
    }
}
