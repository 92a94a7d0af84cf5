using Processional.Hosting;
using Processional.Rpc;

namespace Processional;

/// <summary>
/// The slave's built-in objects (see <see cref="SlaveControl"/>): one that runs lambdas on the main thread in the order
/// sent, one for everything that must not wait behind them (lambdas on threads of their own, fetching a kept object's
/// value, the master's hello and stop).
/// </summary>
internal static class SlaveDispatcher
{
    static SlaveDispatcher()
    {
        RemoteInterfaceRegistry.Register<IMain>(static (_, _, _) => throw new NotSupportedException(), new MainDispatcher());
        RemoteInterfaceRegistry.Register<IThreads>(static (_, _, _) => throw new NotSupportedException(), new ThreadsDispatcher());
    }

    /// <summary>Marks the object that runs lambdas on the main thread.</summary>
    internal interface IMain;

    /// <summary>Marks the object that handles everything else.</summary>
    internal interface IThreads;

    public static void Expose(RpcConnection rpc, SlaveThread main)
    {
        rpc.ExposeInternal(SlaveControl.MainName, new MainObject(), DispatchPolicy.Ordered, work => main.TryPost(work));
        rpc.ExposeInternal(SlaveControl.ThreadsName, new ThreadsObject(main), DispatchPolicy.Concurrent, executor: null, inlineMethod: SlaveControl.Hello);
    }

    /// <summary>The same objects for a client of a server: lambdas run on the server's lambda thread; a client cannot stop the process this way.</summary>
    public static void ExposeForServer(RpcConnection rpc, SlaveThread main)
    {
        rpc.ExposeInternal(SlaveControl.MainName, new MainObject(), DispatchPolicy.Ordered, work => main.TryPost(work));
        rpc.ExposeInternal(SlaveControl.ThreadsName, new ThreadsObject(main) { IsServer = true }, DispatchPolicy.Concurrent, executor: null, inlineMethod: SlaveControl.Hello);
    }

    /// <summary>Reads a lambda and its captures off the request, rebuilds it, and runs it (its generated code completes the request).</summary>
    private static void RunLambda(ref RpcRequest request)
    {
        var id = request.Reader.ReadUInt64();
        var moduleVersionId = request.Reader.ReadGuid();
        var token = request.Reader.ReadInt32();
        var lambda = RemoteLambdaRegistry.Find(id, moduleVersionId);
        var method = lambda.ResolveMethod(moduleVersionId, token);
        var closure = LambdaClosure.Create(lambda, method);
        lambda.ReadCaptures(ref request, closure);
        request.EndArguments();
        var lambdaDelegate = closure.CreateDelegate(lambda.DelegateType, method);

        // The lambda (and the async work it starts) reads the call's token through RemoteCall; the value flows into
        // its continuations and is cleared here for whatever this thread runs next.
        RemoteCall.Enter(request.CancellationToken);
        try
        {
            lambda.Run(lambdaDelegate, ref request);
        }
        finally
        {
            RemoteCall.Enter(default);
        }
    }

    private sealed class MainObject : IMain;

    private sealed class ThreadsObject(SlaveThread main) : IThreads
    {
        public SlaveThread Main { get; } = main;

        public bool IsServer { get; init; }
    }

    private sealed class MainDispatcher : RemoteDispatcher
    {
        public override bool TryDispatch(object target, ref RpcRequest request)
        {
            if (request.MethodId != SlaveControl.Invoke)
            {
                return false;
            }

            RunLambda(ref request);
            return true;
        }
    }

    private sealed class ThreadsDispatcher : RemoteDispatcher
    {
        public override bool TryDispatch(object target, ref RpcRequest request)
        {
            switch (request.MethodId)
            {
                case SlaveControl.Invoke:
                    RunLambda(ref request);
                    return true;
                case SlaveControl.Fetch:
                    request.CompleteExportedValue(request.Reader.ReadUInt64());
                    return true;
                case SlaveControl.Hello:
                    var count = request.Reader.ReadInt32();
                    for (var i = 0; i < count; i++)
                    {
                        var mvid = request.Reader.ReadGuid();
                        LambdaModules.AddKnown(mvid, request.Reader.ReadString() ?? throw new Transport.ProtocolException("The hello names an assembly without a path."));
                    }
                    request.Complete(Environment.ProcessId);
                    return true;
                case SlaveControl.Stop when ((ThreadsObject)target).IsServer:
                    return false;
                case SlaveControl.Stop:
                    if (request.Reader.ReadUnmanaged<bool>())
                    {
                        request.Connection.CancelEveryIncoming();
                    }

                    SlaveHost.Stop(((ThreadsObject)target).Main);
                    request.Complete();
                    return true;
                default:
                    return false;
            }
        }
    }
}
