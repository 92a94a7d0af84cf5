using System.Runtime.CompilerServices;
using Processional.Hosting;
using Processional.Rpc;

namespace Processional.Tests.Slaves;

// Lambdas written by hand exactly as the generator writes them for intercepted calls, so that the slave-process runtime
// is tested on its own. Each is tied to the test method its lambda is written in (by name).
internal sealed class HandLambda<T> : RemoteLambda<T>
{
    private readonly Action<HandLambda<T>, Delegate, RpcRequestHolder> _run;

    public HandLambda(ulong id, string containingMethod, Type delegateType, string[] captures, Action<HandLambda<T>, Delegate, RpcRequestHolder> run)
        : base(id, captures, containingMethod)
    {
        DelegateType = delegateType;
        _run = run;
        RemoteLambdaRegistry.Register(this);
    }

    protected internal override Type DelegateType { get; }

    public CaptureWriter? Writer { get; init; }

    public CaptureReader? Reader { get; init; }

    protected internal override void WriteCaptures(ref RpcCall call, LambdaClosure closure) => Writer?.Invoke(ref call, closure);

    protected internal override void ReadCaptures(ref RpcRequest request, LambdaClosure closure) => Reader?.Invoke(ref request, closure);

    protected internal override void Run(Delegate lambda, ref RpcRequest request) => RunKind(lambda, ref request);

    public RunDelegate RunKind { get; init; } = null!;
}

internal delegate void CaptureWriter(ref RpcCall call, LambdaClosure closure);

internal delegate void CaptureReader(ref RpcRequest request, LambdaClosure closure);

internal delegate void RunDelegate(Delegate lambda, ref RpcRequest request);

internal sealed class RpcRequestHolder;

internal static class HandWrittenLambdas
{
    public static readonly HandLambda<int> ProcessId = new(0x5EED000000000001, "Slave_runs_in_another_process_with_the_same_program", typeof(Func<int>), [], static (_, _, _) => { })
    {
        RunKind = static (d, ref r) => r.Complete(((Func<int>)d)()),
    };

    public static readonly HandLambda<int> Captures = new(0x5EED000000000002, "Captured_variables_travel_by_value", typeof(Func<int>), ["n", "text"], static (_, _, _) => { })
    {
        Writer = static (ref c, closure) =>
        {
            c.Writer.WriteUnmanaged(closure.Get<int>(0));
            c.Writer.WriteString(closure.Get<string>(1));
        },
        Reader = static (ref r, closure) =>
        {
            closure.Set(0, r.Reader.ReadUnmanaged<int>());
            closure.Set(1, r.Reader.ReadString());
        },
        RunKind = static (d, ref r) => r.Complete(((Func<int>)d)()),
    };

    public static readonly HandLambda<int> Throws = new(0x5EED000000000003, "A_remote_exception_keeps_its_type_and_remote_stack", typeof(Func<int>), [], static (_, _, _) => { })
    {
        RunKind = static (d, ref r) => r.Complete(((Func<int>)d)()),
    };

    public static readonly HandLambda<int> ProcessIdAfterFailure = new(0x5EED000000000005, "A_remote_exception_keeps_its_type_and_remote_stack", typeof(Func<int>), [], static (_, _, _) => { })
    {
        RunKind = static (d, ref r) => r.Complete(((Func<int>)d)()),
    };

    public static readonly HandLambda<int> Crash = new(0x5EED000000000004, "A_crashed_slave_fails_pending_calls_with_its_exit_code_and_last_words", typeof(Func<int>), [], static (_, _, _) => { })
    {
        RunKind = static (d, ref r) => r.Complete(((Func<int>)d)()),
    };

    public static readonly HandLambda<object> ExposeWorker = new(0x5EED000000000010, "InitializeAsync", typeof(Action), [], static (_, _, _) => { })
    {
        RunKind = static (d, ref r) =>
        {
            ((Action)d)();
            r.Complete();
        },
    };

    public static readonly HandLambda<object> ExposeWorkerForKill = new(0x5EED000000000011, "A_slave_killed_mid_call_fails_the_pending_calls_with_SlaveCrashedException", typeof(Action), [], static (_, _, _) => { })
    {
        RunKind = static (d, ref r) =>
        {
            ((Action)d)();
            r.Complete();
        },
    };

    [ModuleInitializer]
    internal static void Register()
    {
        RuntimeHelpers.RunClassConstructor(typeof(HandWrittenLambdas).TypeHandle);
    }
}
