using System.Diagnostics.CodeAnalysis;

namespace Processional;

/// <summary>
/// An untyped region of shared memory that other processes map too: passed to a slave (as an argument, a lambda capture
/// or a return value) only its handle travels, and the receiver sees the same bytes. For typed elements see
/// <see cref="SharedArray{T}"/>, or view this region as one with <see cref="AsArray{T}"/>. See <c>docs/shared-memory.md</c>.
/// </summary>
/// <remarks>Lifetime rules are those of <see cref="SharedArray{T}"/>: dispose every view; the last holder frees the region.</remarks>
[SuppressMessage("Naming", "CA1724", Justification = "The name the design gives it; System.IO.MemoryMappedFiles is unrelated.")]
public sealed unsafe class SharedMemory : IDisposable
{
    private readonly RegionLease _lease;
    private readonly long _offset;

    internal SharedMemory(RegionLease lease, long offset, long length)
    {
        _lease = lease;
        _offset = offset;
        Length = length;
    }

    /// <summary>The size in bytes.</summary>
    public long Length { get; }

    /// <summary>Whether <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed => _lease.IsReleased;

    /// <summary>The bytes, in the shared mapping (regions larger than 2 GiB: use <see cref="GetSpan"/> or <see cref="Slice"/>).</summary>
    /// <exception cref="InvalidOperationException">The region is larger than a span can be.</exception>
    /// <exception cref="ObjectDisposedException">The region was disposed.</exception>
    public Span<byte> Span => Length <= int.MaxValue
        ? new Span<byte>(Pointer, (int)Length)
        : throw new InvalidOperationException($"The shared memory has {Length} bytes, more than a span holds: use GetSpan(offset, length).");

    /// <summary>The address of the first byte in this process (valid while the region is not disposed).</summary>
    /// <exception cref="ObjectDisposedException">The region was disposed.</exception>
    public nint Address => (nint)Pointer;

    internal RegionLease Lease => _lease;

    internal long Offset => _offset;

    private byte* Pointer => _lease.Get(this).Data + _offset;

    /// <summary>Allocates a zero-filled region.</summary>
    /// <param name="length">The size in bytes (0 or more).</param>
    /// <returns>The region; dispose it when done.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    /// <exception cref="IOException">The system refused the memory.</exception>
    public static SharedMemory Allocate(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new SharedMemory(new RegionLease(SharedRegion.Allocate(length)), 0, length);
    }

    /// <summary>A span of <paramref name="length"/> bytes from <paramref name="offset"/>.</summary>
    /// <param name="offset">The first byte.</param>
    /// <param name="length">The number of bytes.</param>
    /// <returns>The span.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the region.</exception>
    public Span<byte> GetSpan(long offset, int length)
    {
        CheckRange(offset, length);
        return new Span<byte>(Pointer + offset, length);
    }

    /// <summary>A view of <paramref name="length"/> bytes from <paramref name="offset"/>, sharing this region; dispose it too.</summary>
    /// <param name="offset">The first byte.</param>
    /// <param name="length">The number of bytes.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the region.</exception>
    public SharedMemory Slice(long offset, long length)
    {
        CheckRange(offset, length);
        var region = _lease.Get(this);
        region.AddReference();
        return new SharedMemory(new RegionLease(region), _offset + offset, length);
    }

    /// <summary>A typed view of the whole region (its length rounded down to whole elements), sharing it; dispose it too.</summary>
    /// <typeparam name="T">An unmanaged element type.</typeparam>
    /// <returns>The view.</returns>
    /// <exception cref="InvalidOperationException">The region holds more than <see cref="int.MaxValue"/> elements.</exception>
    public SharedArray<T> AsArray<T>()
        where T : unmanaged
    {
        var count = Length / sizeof(T);
        if (count > int.MaxValue)
        {
            throw new InvalidOperationException($"The shared memory holds {count} {typeof(T).Name} elements, more than an array view can.");
        }

        var region = _lease.Get(this);
        region.AddReference();
        return new SharedArray<T>(new RegionLease(region), _offset, (int)count);
    }

    /// <summary>Releases this view: the mapping goes away when no view of it is left in this process.</summary>
    public void Dispose() => _lease.Dispose();

    /// <inheritdoc/>
    public override string ToString() => IsDisposed ? $"SharedMemory[{Length}] (disposed)" : $"SharedMemory[{Length}] in {_lease.Get(this)}";

    internal static SharedMemory FromHandle(in SharedMemoryHandle handle) =>
        new(new RegionLease(SharedRegion.Open(handle)), handle.Offset, handle.Length);

    private void CheckRange(long offset, long length)
    {
        if (offset < 0 || length < 0 || offset > Length || length > Length - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Bytes {offset} to {offset + length} are not inside the shared memory of {Length} bytes.");
        }

        _ = _lease.Get(this);
    }
}
