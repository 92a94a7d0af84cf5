using System.Runtime.CompilerServices;
using Processional.Rpc;

namespace Processional.Tests.Rpc;

// An interface with a proxy and a dispatcher written by hand, exactly as the generator writes them for [Remote]
// interfaces: the runtime's RPC layer is tested here on its own, without the generator.
public interface ICalculator
{
    ValueTask<int> AddAsync(int delta, CancellationToken cancellationToken = default);

    Task<string> EchoAsync(string text);

    int Add(int a, int b);

    void Reset();

    Task FailAsync(string message);

    ValueTask<int> WaitAsync(TaskCompletionSource<int> gate, CancellationToken cancellationToken);

    Task<int> StepsAsync(int steps, IProgress<int> progress);

    IAsyncEnumerable<int> CountAsync(int count, CancellationToken cancellationToken = default);

    Task<int> CallBackAsync(INotifier notifier, int value);

    INotifier CreateNotifier(string prefix);

    void Fire(string message);

    object Unserializable();

    Task<int> SlowIgnoringTokenAsync(TaskCompletionSource gate, CancellationToken cancellationToken);

    int BlockOn(TaskCompletionSource gate);
}

public interface INotifier
{
    ValueTask<string> NotifyAsync(string message);
}

internal static class HandWrittenRemote
{
    public const uint AddAsync = 0x1001;
    public const uint EchoAsync = 0x1002;
    public const uint Add = 0x1003;
    public const uint Reset = 0x1004;
    public const uint FailAsync = 0x1005;
    public const uint WaitAsync = 0x1006;
    public const uint StepsAsync = 0x1007;
    public const uint CountAsync = 0x1008;
    public const uint CallBackAsync = 0x1009;
    public const uint CreateNotifier = 0x100A;
    public const uint Fire = 0x100B;
    public const uint Unserializable = 0x100C;
    public const uint SlowIgnoringTokenAsync = 0x100D;
    public const uint BlockOn = 0x100E;
    public const uint NotifyAsync = 0x2001;

    [ModuleInitializer]
    internal static void Register()
    {
        RemoteInterfaceRegistry.Register<ICalculator>(static (c, id, counted) => new CalculatorProxy(c, id, counted), new CalculatorDispatcher());
        RemoteInterfaceRegistry.Register<INotifier>(static (c, id, counted) => new NotifierProxy(c, id, counted), new NotifierDispatcher());
    }
}

internal sealed class CalculatorProxy(RpcConnection connection, ulong id, bool counted) : RemoteProxy(connection, id, counted), ICalculator
{
    public ValueTask<int> AddAsync(int delta, CancellationToken cancellationToken)
    {
        var call = BeginCall(HandWrittenRemote.AddAsync, cancellationToken);
        call.Writer.WriteUnmanaged(delta);
        return call.SendAsync<int>();
    }

    public Task<string> EchoAsync(string text)
    {
        var call = BeginCall(HandWrittenRemote.EchoAsync);
        call.Writer.WriteString(text);
        return call.SendAsync<string>().AsTask();
    }

    public int Add(int a, int b)
    {
        var call = BeginCall(HandWrittenRemote.Add);
        call.Writer.WriteUnmanaged(a);
        call.Writer.WriteUnmanaged(b);
        return call.Send<int>();
    }

    public void Reset()
    {
        var call = BeginCall(HandWrittenRemote.Reset);
        call.Send();
    }

    public Task FailAsync(string message)
    {
        var call = BeginCall(HandWrittenRemote.FailAsync);
        call.Writer.WriteString(message);
        return call.SendAsync().AsTask();
    }

    public ValueTask<int> WaitAsync(TaskCompletionSource<int> gate, CancellationToken cancellationToken)
    {
        // The gate lives with the test, in this process: the in-process pair lets the test hold the server's side.
        var call = BeginCall(HandWrittenRemote.WaitAsync, cancellationToken);
        call.Writer.WriteUnmanaged(GateRegistry.Add(gate));
        return call.SendAsync<int>();
    }

    public Task<int> StepsAsync(int steps, IProgress<int> progress)
    {
        var call = BeginCall(HandWrittenRemote.StepsAsync);
        call.Writer.WriteUnmanaged(steps);
        call.WriteProgress(progress);
        return call.SendAsync<int>().AsTask();
    }

    public IAsyncEnumerable<int> CountAsync(int count, CancellationToken cancellationToken)
    {
        var call = BeginCall(HandWrittenRemote.CountAsync, cancellationToken);
        call.Writer.WriteUnmanaged(count);
        return call.SendStream<int>();
    }

    public Task<int> CallBackAsync(INotifier notifier, int value)
    {
        var call = BeginCall(HandWrittenRemote.CallBackAsync);
        call.WriteRemote(notifier);
        call.Writer.WriteUnmanaged(value);
        return call.SendAsync<int>().AsTask();
    }

    public INotifier CreateNotifier(string prefix)
    {
        var call = BeginCall(HandWrittenRemote.CreateNotifier);
        call.Writer.WriteString(prefix);
        return call.SendRemote<INotifier>()!;
    }

    public void Fire(string message)
    {
        var call = BeginCall(HandWrittenRemote.Fire);
        call.Writer.WriteString(message);
        call.SendOneWay();
    }

    public object Unserializable()
    {
        var call = BeginCall(HandWrittenRemote.Unserializable);
        return call.Send<int>();
    }

    public Task<int> SlowIgnoringTokenAsync(TaskCompletionSource gate, CancellationToken cancellationToken)
    {
        var call = BeginCall(HandWrittenRemote.SlowIgnoringTokenAsync, cancellationToken);
        call.Writer.WriteUnmanaged(GateRegistry.Add(gate));
        return call.SendAsync<int>().AsTask();
    }

    public int BlockOn(TaskCompletionSource gate) => BlockOnAsync(gate).AsTask().GetAwaiter().GetResult();

    public ValueTask<int> BlockOnAsync(TaskCompletionSource gate)
    {
        var call = BeginCall(HandWrittenRemote.BlockOn);
        call.Writer.WriteUnmanaged(GateRegistry.Add(gate));
        return call.SendAsync<int>();
    }
}

internal sealed class CalculatorDispatcher : RemoteDispatcher
{
    public override bool TryDispatch(object target, ref RpcRequest request)
    {
        var calculator = (ICalculator)target;
        switch (request.MethodId)
        {
            case HandWrittenRemote.AddAsync:
                request.Complete(calculator.AddAsync(request.Reader.ReadUnmanaged<int>(), request.CancellationToken));
                return true;
            case HandWrittenRemote.EchoAsync:
                request.Complete(calculator.EchoAsync(request.Reader.ReadString()!));
                return true;
            case HandWrittenRemote.Add:
            {
                var a = request.Reader.ReadUnmanaged<int>();
                var b = request.Reader.ReadUnmanaged<int>();
                request.Complete(calculator.Add(a, b));
                return true;
            }

            case HandWrittenRemote.Reset:
                calculator.Reset();
                request.Complete();
                return true;
            case HandWrittenRemote.FailAsync:
                request.Complete(calculator.FailAsync(request.Reader.ReadString()!));
                return true;
            case HandWrittenRemote.WaitAsync:
                request.Complete(calculator.WaitAsync(GateRegistry.Take<TaskCompletionSource<int>>(request.Reader.ReadUnmanaged<int>()), request.CancellationToken));
                return true;
            case HandWrittenRemote.StepsAsync:
            {
                var steps = request.Reader.ReadUnmanaged<int>();
                var progress = request.ReadProgress<int>();
                request.Complete(calculator.StepsAsync(steps, progress!));
                return true;
            }

            case HandWrittenRemote.CountAsync:
                request.CompleteStream(calculator.CountAsync(request.Reader.ReadUnmanaged<int>(), request.CancellationToken));
                return true;
            case HandWrittenRemote.CallBackAsync:
            {
                var notifier = request.ReadRemote<INotifier>();
                var value = request.Reader.ReadUnmanaged<int>();
                request.Complete(calculator.CallBackAsync(notifier!, value));
                return true;
            }

            case HandWrittenRemote.CreateNotifier:
                request.CompleteRemote(calculator.CreateNotifier(request.Reader.ReadString()!));
                return true;
            case HandWrittenRemote.Fire:
                calculator.Fire(request.Reader.ReadString()!);
                request.Complete();
                return true;
            case HandWrittenRemote.Unserializable:
                request.Complete(calculator.Unserializable());
                return true;
            case HandWrittenRemote.BlockOn:
                request.Complete(calculator.BlockOn(GateRegistry.Take<TaskCompletionSource>(request.Reader.ReadUnmanaged<int>())));
                return true;
            case HandWrittenRemote.SlowIgnoringTokenAsync:
                request.Complete(calculator.SlowIgnoringTokenAsync(GateRegistry.Take<TaskCompletionSource>(request.Reader.ReadUnmanaged<int>()), request.CancellationToken));
                return true;
            default:
                return false;
        }
    }
}

internal sealed class NotifierProxy(RpcConnection connection, ulong id, bool counted) : RemoteProxy(connection, id, counted), INotifier
{
    public ValueTask<string> NotifyAsync(string message)
    {
        var call = BeginCall(HandWrittenRemote.NotifyAsync);
        call.Writer.WriteString(message);
        return call.SendAsync<string>();
    }
}

internal sealed class NotifierDispatcher : RemoteDispatcher
{
    public override bool TryDispatch(object target, ref RpcRequest request)
    {
        if (request.MethodId != HandWrittenRemote.NotifyAsync)
        {
            return false;
        }

        request.Complete(((INotifier)target).NotifyAsync(request.Reader.ReadString()!));
        return true;
    }
}

/// <summary>Hands test-owned objects (gates) to the server side of an in-process pair by number.</summary>
internal static class GateRegistry
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, object> s_gates = new();
    private static int s_next;

    public static int Add(object gate)
    {
        var id = Interlocked.Increment(ref s_next);
        s_gates[id] = gate;
        return id;
    }

    public static T Take<T>(int id) => (T)(s_gates.TryRemove(id, out var gate) ? gate : throw new InvalidOperationException($"No gate {id}."));
}
