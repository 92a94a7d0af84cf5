using Processional.Rpc;

namespace Processional;

/// <summary>
/// The built-in objects a <see cref="ProcessionalServer"/> exposes to each client: the control object
/// (<see cref="Name"/>: stop the server, when clients may) and, where the client may not send lambdas, an object in
/// place of the lambda runners that refuses every call with the reason.
/// </summary>
internal static class ServerControl
{
    public const string Name = "processional.server";

    /// <summary>Names beginning so are the runtime's: a server refuses to expose user objects under them.</summary>
    public const string ReservedPrefix = "processional.";

    /// <summary>Method of the control object: stop the server (no arguments, no result); refused unless clients may stop it.</summary>
    public const uint Stop = 1;

    public static readonly ulong Id = RpcObjectIds.ForName(Name);

    static ServerControl()
    {
        RemoteInterfaceRegistry.Register<IControl>(static (_, _, _) => throw new NotSupportedException(), new ControlDispatcher());
        RemoteInterfaceRegistry.Register<IRefusal>(static (_, _, _) => throw new NotSupportedException(), new RefusalDispatcher());
    }

    /// <summary>Marks the control object.</summary>
    internal interface IControl;

    /// <summary>Marks the object that refuses lambdas.</summary>
    internal interface IRefusal;

    public static void Expose(RpcConnection rpc, ProcessionalServer server) =>
        rpc.ExposeInternal(Name, new ControlObject(server), DispatchPolicy.Concurrent, executor: null);

    /// <summary>Stands in for the lambda runners of a client that may not send lambdas.</summary>
    public static void RefuseLambdas(RpcConnection rpc, string reason)
    {
        var refusal = new RefusalObject(reason);
        rpc.ExposeInternal(SlaveControl.MainName, refusal, DispatchPolicy.Concurrent, executor: null);
        rpc.ExposeInternal(SlaveControl.ThreadsName, new RefusalObject(reason), DispatchPolicy.Concurrent, executor: null);
    }

    /// <summary>Asks the server at the other end of <paramref name="rpc"/> to stop.</summary>
    public static async Task StopAsync(RpcConnection rpc, CancellationToken cancellationToken)
    {
        var call = rpc.BeginCall(Id, Stop, cancellationToken);
        await call.SendAsync().ConfigureAwait(false);
    }

    private sealed class ControlObject(ProcessionalServer server) : IControl
    {
        public ProcessionalServer Server { get; } = server;
    }

    private sealed class RefusalObject(string reason) : IRefusal
    {
        public string Reason { get; } = reason;
    }

    private sealed class ControlDispatcher : RemoteDispatcher
    {
        public override bool TryDispatch(object target, ref RpcRequest request)
        {
            if (request.MethodId != Stop)
            {
                return false;
            }

            var server = ((ControlObject)target).Server;
            if (!server.Options.ClientsMayStop)
            {
                throw new UnauthorizedAccessException(
                    $"The server on {server.Endpoint} does not let its clients stop it (ProcessionalServerOptions.ClientsMayStop is off); its host stops it.");
            }

            request.Complete();

            // After the answer is on its way: stopping closes this very connection.
            _ = Task.Run(server.StopAsync);
            return true;
        }
    }

    private sealed class RefusalDispatcher : RemoteDispatcher
    {
        public override bool TryDispatch(object target, ref RpcRequest request) =>
            throw new UnauthorizedAccessException(((RefusalObject)target).Reason);
    }
}
