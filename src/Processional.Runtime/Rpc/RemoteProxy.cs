namespace Processional.Rpc;

/// <summary>
/// The base of the generated proxies of <see cref="RemoteAttribute">[Remote]</see> interfaces: an object of the peer,
/// seen through one connection. A proxy of an object the peer created for this side (a callback, an object returned
/// by a call) holds a reference to it: disposing the proxy, or letting the garbage collector collect it, releases the
/// object on the peer. A proxy of a named object holds no reference.
/// </summary>
public abstract class RemoteProxy : IDisposable
{
    private int _references;

    /// <summary>Creates a proxy of the object <paramref name="objectId"/> of the peer of <paramref name="connection"/>.</summary>
    /// <param name="connection">The connection to the peer.</param>
    /// <param name="objectId">The object's id on the peer.</param>
    /// <param name="counted">Whether the proxy holds a reference that it releases when disposed or collected.</param>
    protected RemoteProxy(RpcConnection connection, ulong objectId, bool counted)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        ObjectId = objectId;
        _references = counted ? 1 : 0;
        if (!counted)
        {
            GC.SuppressFinalize(this);
        }
    }

    /// <summary>The connection to the object's owner.</summary>
    public RpcConnection Connection { get; }

    /// <summary>The object's id on its owner's side.</summary>
    public ulong ObjectId { get; }

    /// <summary>Whether the proxy was disposed (or its object released).</summary>
    public bool IsReleased => Volatile.Read(ref _references) < 0;

    /// <summary>Releases the object on the peer (when this proxy holds a reference to it).</summary>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public override string ToString() => $"proxy of object {ObjectId:x} on {Connection}";

    /// <summary>Starts a call of <paramref name="methodId"/> on the object. Used by generated proxies.</summary>
    /// <param name="methodId">The stable id of the method.</param>
    /// <param name="cancellationToken">The caller's token; canceling it cancels the call on the peer.</param>
    /// <returns>The call, whose <see cref="RpcCall.Writer"/> takes the arguments.</returns>
    protected RpcCall BeginCall(uint methodId, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _references) < 0)
        {
            throw new ObjectDisposedException(ToString(), $"The {this} was disposed: its remote object is released.");
        }

        return Connection.BeginCall(ObjectId, methodId, cancellationToken);
    }

    /// <summary>Counts one more reference received for the same object (the peer sent it again).</summary>
    internal bool TryAddReference()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current < 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    private void Release()
    {
        var count = Interlocked.Exchange(ref _references, -1);
        if (count > 0)
        {
            Connection.ReleaseRemote(this, count);
        }
    }

    /// <summary>Releases the object on the peer when the proxy was dropped without being disposed.</summary>
    ~RemoteProxy() => Release();
}
