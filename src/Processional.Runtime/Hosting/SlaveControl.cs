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

    /// <summary>Copies the value of the kept object <paramref name="id"/> from the slave.</summary>
    public static Task<T> FetchAsync<T>(RpcConnection owner, ulong id, CancellationToken cancellationToken)
    {
        var call = owner.BeginCall(ThreadsId, Fetch, cancellationToken);
        call.Writer.WriteUnmanaged(id);
        return call.SendAsync<T>().AsTask();
    }
}
