using Processional.Serialization;

namespace Processional.Rpc;

/// <summary>Exposed objects, proxies, and objects passed by reference.</summary>
public sealed partial class RpcConnection
{
    private const byte ReferenceNull = 0;
    private const byte ReferenceSendersObject = 1;
    private const byte ReferenceReceiversObject = 2;

    private readonly RpcObjectTable _objects = new();
    private readonly RpcObjectTable? _shared;
    private readonly Lock _proxiesLock = new();
    // Made on the first proxy of an object of the peer: a connection that never gets one (a slave's) does not pay for the instantiation.
    private Dictionary<(ulong Id, Type Interface), WeakReference<RemoteProxy>>? _proxies;
    private readonly Dictionary<ulong, string> _namesAsked = [];

    /// <summary>How many objects this side exports on the fly to the peer (callbacks, created objects) and the peer still holds.</summary>
    public int ExportedObjectCount => _objects.Count - _namedCount;

    private int _namedCount;

    /// <summary>Exposes <paramref name="implementation"/> under the default name of <typeparamref name="T"/> (its full name).</summary>
    /// <typeparam name="T">A [Remote] interface, or a class implementing [Remote] interfaces.</typeparam>
    /// <param name="implementation">The object.</param>
    /// <param name="policy">How its calls are scheduled; <see cref="DispatchPolicy.Ordered"/> by default.</param>
    public void Expose<T>(T implementation, DispatchPolicy policy = DispatchPolicy.Ordered)
        where T : class => Expose(RpcObjectIds.DefaultName(typeof(T)), implementation, policy);

    /// <summary>Exposes <paramref name="implementation"/> to the peer under <paramref name="name"/>.</summary>
    /// <typeparam name="T">A [Remote] interface, or a class implementing [Remote] interfaces (all of which are exposed).</typeparam>
    /// <param name="name">The name the peer asks for with <see cref="Get{T}(string?)"/>.</param>
    /// <param name="implementation">The object.</param>
    /// <param name="policy">How its calls are scheduled; <see cref="DispatchPolicy.Ordered"/> by default.</param>
    /// <exception cref="ArgumentException">The object implements no [Remote] interface.</exception>
    /// <exception cref="InvalidOperationException">The name is taken.</exception>
    public void Expose<T>(string name, T implementation, DispatchPolicy policy = DispatchPolicy.Ordered)
        where T : class
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(implementation);
        _objects.ExposeNamed(name, implementation, InterfacesOf(typeof(T), implementation), policy);
        Interlocked.Increment(ref _namedCount);
    }

    /// <summary>Exposes a runtime-internal object, with its own executor (a slave's main thread), or a method that runs inline (see <see cref="ExportedObject.InlineMethod"/>).</summary>
    internal void ExposeInternal(string name, object implementation, DispatchPolicy policy, Action<IThreadPoolWorkItem>? executor, uint? inlineMethod = null)
    {
        _objects.ExposeNamed(name, implementation, InterfacesOf(implementation.GetType(), implementation), policy, executor, inlineMethod);
        Interlocked.Increment(ref _namedCount);
    }

    /// <summary>Stops exposing the object named <paramref name="name"/>; later calls to it fail.</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when an object was exposed under that name.</returns>
    public bool Unexpose(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_objects.Remove(name))
        {
            Interlocked.Decrement(ref _namedCount);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Gets a proxy of the object the peer exposes under <paramref name="name"/> (by default the full name of
    /// <typeparamref name="T"/>). No message is sent until the first call; a call to a name the peer does not expose fails.
    /// </summary>
    /// <typeparam name="T">The [Remote] interface.</typeparam>
    /// <param name="name">The name; <see langword="null"/> for the default.</param>
    /// <returns>The proxy.</returns>
    public T Get<T>(string? name = null)
        where T : class
    {
        name ??= RpcObjectIds.DefaultName(typeof(T));
        var id = RpcObjectIds.ForName(name);
        lock (_proxiesLock)
        {
            _namesAsked[id] = name;
        }

        return RemoteInterfaceRegistry.Get<T>().CreateProxy(this, id, counted: false);
    }

    internal static RemoteInterfaceInfo[] InterfacesOf(Type declared, object implementation)
    {
        var interfaces = RemoteInterfaceRegistry.ImplementedBy(declared.IsInterface ? declared : implementation.GetType());
        if (interfaces.Length == 0)
        {
            throw new ArgumentException(
                $"'{implementation.GetType()}' implements no [Remote] interface known to this program: mark the interface [Remote] " +
                "and make sure Processional's source generator runs on the project that declares it.", nameof(implementation));
        }

        return interfaces;
    }

    /// <summary>Writes a reference to <paramref name="value"/>: this side exports it, unless it is a proxy of the peer's own object.</summary>
    internal void WriteObjectReference<T>(ref ProcessionalWriter<RpcMessageBuffer> writer, T? value)
        where T : class
    {
        if (value is null)
        {
            writer.WriteUnmanaged(ReferenceNull);
            return;
        }

        if (value is RemoteProxy proxy && ReferenceEquals(proxy.Connection, this))
        {
            // A proxy sent back to its owner resolves there to the object itself.
            writer.WriteUnmanaged(ReferenceReceiversObject);
            writer.WriteUnmanaged(proxy.ObjectId);
            return;
        }

        var entry = _objects.Export(value, RemoteInterfaceRegistry.Get<T>(), DispatchPolicy.Ordered, DefaultExecutor);
        writer.WriteUnmanaged(ReferenceSendersObject);
        writer.WriteUnmanaged(entry.Id);
    }

    /// <summary>Reads a reference written by the peer's <see cref="WriteObjectReference{T}"/>.</summary>
    internal T? ReadObjectReference<T>(ref ProcessionalReader reader)
        where T : class
    {
        var kind = reader.ReadByte();
        switch (kind)
        {
            case ReferenceNull:
                return null;
            case ReferenceReceiversObject:
                var id = reader.ReadUInt64();
                var entry = FindExport(id);
                if (entry?.Target is T own)
                {
                    return own;
                }

                reader.ThrowInvalid(entry is null
                    ? $"A reference to object {id:x} of this side, which is not (or no longer) exposed"
                    : $"A reference to the {entry}, which is not a {typeof(T)}");
                return null;
            case ReferenceSendersObject:
                return ProxyOf<T>(reader.ReadUInt64());
            default:
                reader.ThrowInvalid($"Object reference kind {kind} is not 0, 1 or 2");
                return null;
        }
    }

    /// <summary>A proxy of the peer's object <paramref name="id"/>, holding one more reference to it.</summary>
    private T ProxyOf<T>(ulong id)
        where T : class
    {
        lock (_proxiesLock)
        {
            _proxies ??= [];
            if (_proxies.TryGetValue((id, typeof(T)), out var weak) && weak.TryGetTarget(out var existing) && existing.TryAddReference())
            {
                return (T)(object)existing;
            }

            var proxy = RemoteInterfaceRegistry.Get<T>().CreateProxy(this, id, counted: true);
            _proxies[(id, typeof(T))] = new WeakReference<RemoteProxy>((RemoteProxy)(object)proxy);
            return proxy;
        }
    }

    /// <summary>A proxy was disposed or collected: tell the peer it may free the object.</summary>
    internal void ReleaseRemote(RemoteProxy proxy, int count)
    {
        lock (_proxiesLock)
        {
            foreach (var key in (_proxies ?? []).Where(p => p.Key.Id == proxy.ObjectId && (!p.Value.TryGetTarget(out var live) || ReferenceEquals(live, proxy))).Select(p => p.Key).ToList())
            {
                _proxies!.Remove(key);
            }
        }

        ReleaseRemoteObject(proxy.ObjectId, count);
    }

    /// <summary>Tells the peer that this side dropped <paramref name="count"/> references to its object <paramref name="id"/>.</summary>
    internal void ReleaseRemoteObject(ulong id, int count)
    {
        if (Volatile.Read(ref _closeReason) is not null)
        {
            return;
        }

        var buffer = RpcMessageBuffer.Rent();
        var writer = BeginMessage(buffer, RpcMessageType.Release, id);
        writer.WriteUnmanaged((uint)count);
        writer.Flush();
        SendQuietly(buffer);
    }

    /// <summary>
    /// Where calls to objects this side exports on the fly run (callbacks, wrapped and created objects): the thread
    /// pool by default; a slave process sets its main thread.
    /// </summary>
    internal Action<IThreadPoolWorkItem>? DefaultExecutor { get; set; }

    /// <summary>Exports a value kept here for the peer (a wrapped object): one reference, fetchable by value.</summary>
    internal ulong ExportValue<T>(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var info = typeof(T).IsInterface ? RemoteInterfaceRegistry.TryGet(typeof(T)) : null;
        var entry = _objects.Export(value, info, DispatchPolicy.Ordered, DefaultExecutor);
        foreach (var implemented in RemoteInterfaceRegistry.ImplementedBy(value.GetType()))
        {
            entry.AddInterface(implemented);
        }

        entry.ValueWriter ??= RemoteValueWriter<T>.Instance;
        return entry.Id;
    }

    /// <summary>Writes a handle: a reference to the peer's own object, or to an object of this side.</summary>
    internal void WriteHandle<T>(ref ProcessionalWriter<RpcMessageBuffer> writer, Remote<T>? handle)
    {
        if (handle is null)
        {
            writer.WriteUnmanaged(ReferenceNull);
            return;
        }

        if (handle.IsReleased)
        {
            throw new ObjectDisposedException(handle.ToString(), $"The {handle} was disposed: it cannot be sent.");
        }

        if (handle.Owner is { } owner)
        {
            if (!ReferenceEquals(owner, this))
            {
                throw new InvalidOperationException(
                    $"The {handle} belongs to another process than the one at the other end of the {this}: a handle can only be used by the process that owns its object.");
            }

            writer.WriteUnmanaged(ReferenceReceiversObject);
            writer.WriteUnmanaged(handle.Id);
            return;
        }

        writer.WriteUnmanaged(ReferenceSendersObject);
        writer.WriteUnmanaged(ExportValue(handle.Value));
    }

    /// <summary>Reads a handle written by the peer's <see cref="WriteHandle{T}"/>.</summary>
    internal Remote<T>? ReadHandle<T>(ref ProcessionalReader reader)
    {
        var kind = reader.ReadByte();
        switch (kind)
        {
            case ReferenceNull:
                return null;
            case ReferenceReceiversObject:
                var id = reader.ReadUInt64();
                var entry = FindExport(id);
                if (entry?.Target is T value)
                {
                    return new Remote<T>(value, id);
                }

                reader.ThrowInvalid(entry is null
                    ? $"A handle to object {id:x} of this side, which is not (or no longer) kept"
                    : $"A handle to the {entry}, which is not a {typeof(T)}");
                return null;
            case ReferenceSendersObject:
                return new Remote<T>(this, reader.ReadUInt64());
            default:
                reader.ThrowInvalid($"Object reference kind {kind} is not 0, 1 or 2");
                return null;
        }
    }

    /// <summary>Writes the value of exported object <paramref name="id"/> (a handle's FetchAsync).</summary>
    internal void WriteExportedValue(ref ProcessionalWriter<RpcMessageBuffer> writer, ulong id)
    {
        var entry = FindExport(id) ?? throw new InvalidOperationException(DescribeMissingObject(id));
        var valueWriter = entry.ValueWriter ?? throw new InvalidOperationException($"The {entry} cannot be fetched by value.");
        valueWriter.Write(ref writer, entry.Target);
    }

    /// <summary>Calls waiting in the ordered queue of the object exposed as <paramref name="name"/> (for tests).</summary>
    internal int QueuedCalls(string name) => FindExport(RpcObjectIds.ForName(name))?.Queue?.Count ?? 0;

    private ExportedObject? FindExport(ulong id) => _objects.Find(id) ?? _shared?.Find(id);

    private void ReleaseExport(ulong id, uint count) => _objects.Release(id, count);

    private void ReleaseAllExports() => _objects.ReleaseAllExported();

    private string DescribeMissingObject(ulong objectId) =>
        (objectId & RpcObjectIds.NamedBit) != 0
            ? $"No object is exposed under the name asked for (object id {objectId:x}) on the {this}."
            : $"Object {objectId:x} is not (or no longer) exposed on the {this}: it was released.";
}
