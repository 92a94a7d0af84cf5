using Processional.Rpc;

namespace Processional;

/// <summary>
/// A handle to an object that lives in another process (a slave): returned by <c>WrapAsync</c>, it keeps the object
/// alive there. Captured by a lambda sent to that process, the handle becomes the live object again: <see cref="Value"/>
/// works there (and only there). <see cref="FetchAsync"/> copies the value here; <see cref="As{TInterface}"/> calls it
/// through a [Remote] interface. Disposing the handle (or letting it be collected) releases the object; using a released
/// handle throws <see cref="ObjectDisposedException"/>.
/// </summary>
/// <typeparam name="T">The type of the object.</typeparam>
public sealed class Remote<T> : IDisposable
{
    private readonly RpcConnection? _owner;
    private readonly T? _value;
    private int _released;

    /// <summary>A handle to the object <paramref name="id"/> of the process at the other end of <paramref name="owner"/>; holds one reference.</summary>
    internal Remote(RpcConnection owner, ulong id)
    {
        _owner = owner;
        Id = id;
    }

    /// <summary>A handle resolved in the process that owns the object (it holds no reference of its own).</summary>
    internal Remote(T value, ulong id)
    {
        _value = value;
        Id = id;
        GC.SuppressFinalize(this);
    }

    /// <summary>Whether the object lives in this process (so that <see cref="Value"/> works).</summary>
    public bool IsLocal => _owner is null;

    /// <summary>Whether this handle was disposed.</summary>
    public bool IsReleased => Volatile.Read(ref _released) != 0;

    /// <summary>The object's id in its owner's table.</summary>
    internal ulong Id { get; }

    /// <summary>The connection to the owner (for a handle to an object of another process).</summary>
    internal RpcConnection? Owner => _owner;

    /// <summary>The object itself, in the process that owns it.</summary>
    /// <exception cref="InvalidOperationException">Read in another process: use it in a lambda sent to the owner, or <see cref="FetchAsync"/>.</exception>
    /// <exception cref="ObjectDisposedException">The handle was disposed.</exception>
    public T Value
    {
        get
        {
            ThrowIfReleased();
            if (_owner is not null)
            {
                throw new InvalidOperationException(
                    $"This Remote<{typeof(T).Name}> lives in another process ({_owner}): read .Value inside a lambda sent to that process " +
                    "(a captured handle becomes the live object there), or copy the object here with FetchAsync().");
            }

            return _value!;
        }
    }

    /// <summary>Copies the object here (serialized by value).</summary>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>A copy of the object.</returns>
    public Task<T> FetchAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfReleased();
        return _owner is null ? Task.FromResult(_value!) : SlaveControl.FetchAsync<T>(_owner, Id, cancellationToken);
    }

    /// <summary>
    /// A proxy that calls the object through the [Remote] interface <typeparamref name="TInterface"/> (the object itself,
    /// in its owner). The proxy is valid while this handle is.
    /// </summary>
    /// <typeparam name="TInterface">A [Remote] interface the object implements.</typeparam>
    /// <returns>The proxy.</returns>
    public TInterface As<TInterface>()
        where TInterface : class
    {
        ThrowIfReleased();
        if (_owner is null)
        {
            return _value as TInterface
                ?? throw new InvalidCastException($"The object ({_value?.GetType()}) does not implement {typeof(TInterface)}.");
        }

        return RemoteInterfaceRegistry.Get<TInterface>().CreateProxy(_owner, Id, counted: false);
    }

    /// <summary>Releases the object in its owner (once the last handle to it is released, it is freed).</summary>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public override string ToString() => _owner is null ? $"Remote<{typeof(T).Name}> (local)" : $"Remote<{typeof(T).Name}> {Id:x} in {_owner}";

    private void ThrowIfReleased()
    {
        if (Volatile.Read(ref _released) != 0)
        {
            throw new ObjectDisposedException(ToString(), $"This {this} was disposed: its object is released.");
        }
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0 && _owner is not null)
        {
            _owner.ReleaseRemoteObject(Id, 1);
        }
    }

    /// <summary>Releases the object when the handle was dropped without being disposed.</summary>
    ~Remote() => Release();
}
