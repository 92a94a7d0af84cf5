namespace Processional.Rpc;

/// <summary>
/// Objects exposed to peers: named ones (shared by every connection of a server) and, per connection, the ones exported
/// on the fly (callbacks, created objects) with the count of references the peer holds.
/// </summary>
internal sealed class RpcObjectTable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, ExportedObject> _byId = [];
    private readonly Dictionary<object, ExportedObject> _byTarget = new(ReferenceEqualityComparer.Instance);
    private long _nextId;

    public ExportedObject? Find(ulong id)
    {
        lock (_lock)
        {
            return _byId.TryGetValue(id, out var entry) ? entry : null;
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byId.Count;
            }
        }
    }

    public void ExposeNamed(string name, object target, RemoteInterfaceInfo[] interfaces, DispatchPolicy policy, Action<IThreadPoolWorkItem>? executor = null, uint? inlineMethod = null)
    {
        var id = RpcObjectIds.ForName(name);
        lock (_lock)
        {
            if (_byId.TryGetValue(id, out var existing))
            {
                throw new InvalidOperationException(existing.Name == name
                    ? $"An object is already exposed as '{name}'; remove it first."
                    : $"The names '{name}' and '{existing.Name}' hash to the same object id; choose another name.");
            }

            _byId[id] = new ExportedObject(id, name, target, interfaces, policy, executor) { InlineMethod = inlineMethod };
        }
    }

    public bool Remove(string name)
    {
        lock (_lock)
        {
            return _byId.Remove(RpcObjectIds.ForName(name));
        }
    }

    /// <summary>Exports <paramref name="target"/> (again): the peer now holds one more reference to it.</summary>
    public ExportedObject Export(object target, RemoteInterfaceInfo? info, DispatchPolicy policy, Action<IThreadPoolWorkItem>? executor = null)
    {
        lock (_lock)
        {
            if (!_byTarget.TryGetValue(target, out var entry))
            {
                var id = (ulong)Interlocked.Increment(ref _nextId);
                entry = new ExportedObject(id, name: null, target, info is null ? [] : [info], policy, executor);
                _byTarget[target] = entry;
                _byId[id] = entry;
            }
            else if (info is not null)
            {
                entry.AddInterface(info);
            }

            entry.References++;
            return entry;
        }
    }

    /// <summary>The peer dropped <paramref name="count"/> references; the last one frees the object.</summary>
    public void Release(ulong id, uint count)
    {
        lock (_lock)
        {
            if (!_byId.TryGetValue(id, out var entry) || entry.Name is not null)
            {
                return;
            }

            entry.References -= (int)Math.Min(count, int.MaxValue);
            if (entry.References <= 0)
            {
                _byId.Remove(id);
                _byTarget.Remove(entry.Target);
            }
        }
    }

    /// <summary>Drops every object exported on the fly (the connection is gone).</summary>
    public void ReleaseAllExported()
    {
        lock (_lock)
        {
            foreach (var entry in _byTarget.Values)
            {
                _byId.Remove(entry.Id);
            }

            _byTarget.Clear();
        }
    }
}
