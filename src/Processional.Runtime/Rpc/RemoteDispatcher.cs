namespace Processional.Rpc;

/// <summary>
/// The server side of a <see cref="RemoteAttribute">[Remote]</see> interface, written by the source generator: reads a
/// request's arguments, calls the method on the exposed object, and hands the outcome to the request.
/// </summary>
public abstract class RemoteDispatcher
{
    /// <summary>
    /// Dispatches <paramref name="request"/> to <paramref name="target"/> when its method id belongs to this interface.
    /// </summary>
    /// <param name="target">The exposed object.</param>
    /// <param name="request">The request: method id, argument reader, cancellation, completion.</param>
    /// <returns><see langword="false"/> when the method id is not one of this interface's.</returns>
    public abstract bool TryDispatch(object target, ref RpcRequest request);
}
