namespace Processional;

/// <summary>
/// One reference to a <see cref="SharedRegion"/>, released once: by <see cref="Dispose"/> or, when its owner was
/// dropped without being disposed, by the finalizer.
/// </summary>
internal sealed class RegionLease : IDisposable
{
    private SharedRegion? _region;

    public RegionLease(SharedRegion region) => _region = region;

    ~RegionLease() => Dispose();

    public bool IsReleased => Volatile.Read(ref _region) is null;

    /// <summary>The region, or <see cref="ObjectDisposedException"/> naming <paramref name="owner"/>.</summary>
    public SharedRegion Get(object owner) => Volatile.Read(ref _region) ?? throw new ObjectDisposedException(owner.GetType().Name, $"The {owner.GetType().Name} was disposed.");

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _region, null) is { } region)
        {
            region.Release();
            GC.SuppressFinalize(this);
        }
    }
}
