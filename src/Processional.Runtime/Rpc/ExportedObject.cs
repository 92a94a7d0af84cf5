namespace Processional.Rpc;

/// <summary>An object this side exposes to its peer: by name, or on the fly as a callback or a created object.</summary>
internal sealed class ExportedObject
{
    private RemoteInterfaceInfo[] _interfaces;

    public ExportedObject(ulong id, string? name, object target, RemoteInterfaceInfo[] interfaces, DispatchPolicy policy, Action<IThreadPoolWorkItem>? executor = null)
    {
        Id = id;
        Name = name;
        Target = target;
        _interfaces = interfaces;
        Queue = policy == DispatchPolicy.Ordered || executor is not null ? new OrderedQueue(executor) : null;
    }

    /// <summary>
    /// With <see cref="DispatchPolicy.Concurrent"/>: a method so short that it runs right on the receiving thread instead of
    /// the thread pool (a slave's hello: answering it then needs no thread pool, which a slave need not start at all).
    /// </summary>
    public uint? InlineMethod { get; init; }

    /// <summary>Writes the object by value, for a handle's FetchAsync (set for wrapped values only).</summary>
    public IRemoteValueWriter? ValueWriter { get; set; }

    public ulong Id { get; }

    public string? Name { get; }

    public object Target { get; }

    /// <summary>References the peer holds (objects exported on the fly only).</summary>
    public int References { get; set; }

    public OrderedQueue? Queue { get; }

    public void AddInterface(RemoteInterfaceInfo info)
    {
        if (Array.IndexOf(_interfaces, info) < 0)
        {
            _interfaces = [.. _interfaces, info];
        }
    }

    public bool TryDispatch(ref RpcRequest request)
    {
        foreach (var info in _interfaces)
        {
            if (info.Dispatcher.TryDispatch(Target, ref request))
            {
                return true;
            }
        }

        return false;
    }

    public void Schedule(IOrderedWork work)
    {
        if (Queue is { } queue)
        {
            queue.Enqueue(work);
        }
        else if (InlineMethod is { } inline && work is IncomingCall { MethodId: var method } && method == inline)
        {
            work.Execute();
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(work, preferLocal: false);
        }
    }

    /// <summary>Whether the object is exposed to a given [Remote] interface's proxies.</summary>
    public bool Implements(Type interfaceType) => Array.Exists(_interfaces, i => i.InterfaceType == interfaceType);

    public override string ToString() => Name is null ? $"object {Id:x} ({Target.GetType().Name})" : $"object '{Name}'";
}
