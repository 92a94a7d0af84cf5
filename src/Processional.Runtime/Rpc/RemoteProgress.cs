namespace Processional.Rpc;

/// <summary>The callee's side of an <see cref="IProgress{T}"/> argument: each report is sent to the caller at once.</summary>
internal sealed class RemoteProgress<T>(RpcConnection connection, ulong callId, byte index) : IProgress<T>
{
    public void Report(T value) => connection.SendProgress(callId, index, value);
}
