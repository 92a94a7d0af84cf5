using Processional.Hosting;
using Processional.Rpc;

namespace Processional;

/// <summary>
/// The built-in objects a slave process exposes to its master: one that runs lambdas on the slave's main thread, one
/// at a time in the order sent, and one that runs each lambda on a thread of its own. This class holds their names,
/// method ids and the master's side of the calls that are not lambdas.
/// </summary>
internal static class SlaveControl
{
    public const string MainName = "processional.slave.main";
    public const string ThreadsName = "processional.slave.threads";

    public const uint Invoke = 1;
    public const uint Fetch = 2;
    public const uint Hello = 3;
    public const uint Stop = 4;

    public static readonly ulong MainId = RpcObjectIds.ForName(MainName);
    public static readonly ulong ThreadsId = RpcObjectIds.ForName(ThreadsName);

    /// <summary>
    /// The hello call (answered with the peer's process id): where this program's assemblies are, which the peer loads on
    /// demand for the lambdas it will be sent.
    /// </summary>
    public static RpcCall BeginHello(RpcConnection peer, CancellationToken cancellationToken)
    {
        var assemblies = LambdaModules.LoadedApplicationAssemblies().ToList();
        var call = peer.BeginCall(ThreadsId, Hello, cancellationToken);
        call.Writer.WriteUnmanaged(assemblies.Count);
        foreach (var (mvid, path) in assemblies)
        {
            call.Writer.WriteUnmanaged(mvid);
            call.Writer.WriteString(path);
        }

        return call;
    }

    /// <summary>Copies the value of the kept object <paramref name="id"/> from the slave.</summary>
    public static Task<T> FetchAsync<T>(RpcConnection owner, ulong id, CancellationToken cancellationToken)
    {
        var call = owner.BeginCall(ThreadsId, Fetch, cancellationToken);
        call.Writer.WriteUnmanaged(id);
        return call.SendAsync<T>().AsTask();
    }
}
