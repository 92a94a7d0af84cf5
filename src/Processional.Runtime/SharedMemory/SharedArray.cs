using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Processional;

/// <summary>
/// An array of unmanaged values in shared memory that other processes map too: passed to a slave (as an argument, a
/// lambda capture or a return value) only its handle travels, and the receiver sees the same elements; writes on one side
/// are visible on the other. See <c>docs/shared-memory.md</c>.
/// </summary>
/// <typeparam name="T">An unmanaged element type.</typeparam>
/// <remarks>
/// The memory stays mapped in this process until every <see cref="SharedArray{T}"/> view of it here is disposed (or
/// collected) and every <see cref="Memory"/> obtained from it is collected; the region is freed when no process holds it.
/// Keep the array alive (a <see langword="using"/> does) while you use a <see cref="Span"/> of it. Synchronizing access
/// between processes is up to you (see <see cref="SharedSequence"/>).
/// </remarks>
public sealed unsafe class SharedArray<T> : IDisposable
    where T : unmanaged
{
    private readonly RegionLease _lease;
    private readonly long _byteOffset;
    private SharedArrayMemoryManager<T>? _memory;

    internal SharedArray(RegionLease lease, long byteOffset, int length)
    {
        _lease = lease;
        _byteOffset = byteOffset;
        Length = length;
    }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>Whether <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed => _lease.IsReleased;

    /// <summary>The elements, in the shared mapping.</summary>
    /// <exception cref="ObjectDisposedException">The array was disposed.</exception>
    public Span<T> Span => new(Pointer, Length);

    /// <summary>
    /// The elements as a <see cref="Memory{T}"/> (for asynchronous code); it keeps the mapping alive until it is collected,
    /// even after the array is disposed.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The array was disposed.</exception>
    public Memory<T> Memory
    {
        get
        {
            var region = _lease.Get(this);
            if (_memory is null)
            {
                region.AddReference();
                _ = Interlocked.CompareExchange(ref _memory, new SharedArrayMemoryManager<T>(new RegionLease(region), Pointer, Length), null);
            }

            return _memory.Memory;
        }
    }

    /// <summary>A reference to element <paramref name="index"/>.</summary>
    /// <param name="index">The element's index.</param>
    /// <exception cref="IndexOutOfRangeException"><paramref name="index"/> is outside the array.</exception>
    /// <exception cref="ObjectDisposedException">The array was disposed.</exception>
    [SuppressMessage("Design", "CA1043", Justification = "An int index, like an array's.")]
    public ref T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Length)
            {
                throw new IndexOutOfRangeException($"Index {index} is outside the shared array of {Length} elements.");
            }

            return ref Pointer[index];
        }
    }

    internal RegionLease Lease => _lease;

    internal long ByteOffset => _byteOffset;

    private T* Pointer => (T*)(_lease.Get(this).Data + _byteOffset);

    /// <summary>Allocates a zero-filled shared array.</summary>
    /// <param name="length">The number of elements (0 or more).</param>
    /// <returns>The array; dispose it when done.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    /// <exception cref="IOException">The system refused the memory.</exception>
    [SuppressMessage("Design", "CA1000", Justification = "The natural way to create one, like ArrayPool<T>.Shared.")]
    public static SharedArray<T> Allocate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new SharedArray<T>(new RegionLease(SharedRegion.Allocate((long)length * sizeof(T))), 0, length);
    }

    /// <summary>Allocates a shared array holding a copy of <paramref name="values"/>.</summary>
    /// <param name="values">The values.</param>
    /// <returns>The array; dispose it when done.</returns>
    [SuppressMessage("Design", "CA1000", Justification = "The natural way to create one.")]
    public static SharedArray<T> CopyFrom(ReadOnlySpan<T> values)
    {
        var array = Allocate(values.Length);
        values.CopyTo(array.Span);
        return array;
    }

    /// <summary>A view of <paramref name="length"/> elements from <paramref name="start"/>, sharing this array's memory; dispose it too.</summary>
    /// <param name="start">The first element.</param>
    /// <param name="length">The number of elements.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the array.</exception>
    /// <exception cref="ObjectDisposedException">The array was disposed.</exception>
    public SharedArray<T> Slice(int start, int length)
    {
        if ((uint)start > (uint)Length || (uint)length > (uint)(Length - start))
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Elements {start} to {(long)start + length} are not inside the shared array of {Length} elements.");
        }

        var region = _lease.Get(this);
        region.AddReference();
        return new SharedArray<T>(new RegionLease(region), _byteOffset + ((long)start * sizeof(T)), length);
    }

    /// <summary>A view of <paramref name="start"/> to the end; see <see cref="Slice(int, int)"/>.</summary>
    /// <param name="start">The first element.</param>
    /// <returns>The view.</returns>
    public SharedArray<T> Slice(int start) => Slice(start, Length - start);

    /// <summary>Copies the elements into a new ordinary array.</summary>
    /// <returns>The copy.</returns>
    public T[] ToArray() => Span.ToArray();

    /// <summary>Releases this view: the mapping goes away when no view or memory of it is left in this process.</summary>
    public void Dispose() => _lease.Dispose();

    /// <inheritdoc/>
    public override string ToString() => IsDisposed ? $"SharedArray<{typeof(T).Name}>[{Length}] (disposed)" : $"SharedArray<{typeof(T).Name}>[{Length}] in {_lease.Get(this)}";

    /// <summary>Reads an array from a handle (see <see cref="SharedMemoryHandle"/>).</summary>
    internal static SharedArray<T> FromHandle(in SharedMemoryHandle handle)
    {
        if (handle.Length % sizeof(T) != 0 || handle.Length / sizeof(T) > int.MaxValue)
        {
            throw new IOException($"A shared array handle of {handle.Length} bytes does not hold whole {typeof(T).Name} elements.");
        }

        return new SharedArray<T>(new RegionLease(SharedRegion.Open(handle)), handle.Offset, (int)(handle.Length / sizeof(T)));
    }
}

/// <summary>A <see cref="MemoryManager{T}"/> over a mapping; it holds its own reference to the region, released when it is collected.</summary>
internal sealed unsafe class SharedArrayMemoryManager<T> : MemoryManager<T>
    where T : unmanaged
{
    private readonly RegionLease _lease;
    private readonly T* _pointer;
    private readonly int _length;

    public SharedArrayMemoryManager(RegionLease lease, T* pointer, int length)
    {
        _lease = lease;
        _pointer = pointer;
        _length = length;
    }

    public override Span<T> GetSpan() => new(_pointer, _length);

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        if ((uint)elementIndex > (uint)_length)
        {
            throw new ArgumentOutOfRangeException(nameof(elementIndex));
        }

        return new MemoryHandle(_pointer + elementIndex);
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        // The lease is released by its own finalizer once nothing refers to this manager (and so to any Memory<T> of it).
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal RegionLease KeepAlive() => _lease;
}
