using System.Buffers;
using System.Collections.Concurrent;

namespace Processional.Rpc;

/// <summary>
/// A pooled, growable buffer that one RPC message is written into (header, then arguments or result, written by a
/// <see cref="Serialization.ProcessionalWriter{TBufferWriter}"/>) before it is handed to the transport.
/// </summary>
public sealed class RpcMessageBuffer : IBufferWriter<byte>
{
    private const int InitialSize = 512;
    private const int MaxPooledSize = 1024 * 1024;
    private const int MaxPooled = 256;

    private static readonly ConcurrentQueue<RpcMessageBuffer> s_pool = new();
    private static int s_pooled;

    private byte[] _array;
    private int _written;

    private RpcMessageBuffer()
    {
        _array = ArrayPool<byte>.Shared.Rent(InitialSize);
        Self = this;
    }

    /// <summary>
    /// This buffer, in a field: a <see cref="Serialization.ProcessionalWriter{TBufferWriter}"/> holds a reference to a
    /// variable of its buffer writer's type, and this field is one that lives as long as the buffer.
    /// </summary>
    internal RpcMessageBuffer Self;

    /// <summary>How many bytes were written.</summary>
    public int WrittenCount => _written;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _written);

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _written);

    /// <inheritdoc/>
    public void Advance(int count)
    {
        if ((uint)count > (uint)(_array.Length - _written))
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Cannot advance past the end of the buffer.");
        }

        _written += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_written);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_written);
    }

    internal static RpcMessageBuffer Rent()
    {
        if (s_pool.TryDequeue(out var buffer))
        {
            Interlocked.Decrement(ref s_pooled);
            return buffer;
        }

        return new RpcMessageBuffer();
    }

    /// <summary>Overwrites one byte already written (the flags of a request header).</summary>
    internal void SetByte(int offset, byte value) => _array[offset] = value;

    /// <summary>Forgets what was written after <paramref name="length"/> bytes (used to drop a half-written result).</summary>
    internal void Truncate(int length) => _written = Math.Min(_written, length);

    internal void Return()
    {
        _written = 0;
        if (_array.Length > MaxPooledSize)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = ArrayPool<byte>.Shared.Rent(InitialSize);
        }

        if (Interlocked.Increment(ref s_pooled) <= MaxPooled)
        {
            s_pool.Enqueue(this);
        }
        else
        {
            Interlocked.Decrement(ref s_pooled);
            ArrayPool<byte>.Shared.Return(_array);
            _array = [];
        }
    }

    private void Ensure(int sizeHint)
    {
        if (sizeHint < 1)
        {
            sizeHint = 1;
        }

        if (_array.Length - _written >= sizeHint)
        {
            return;
        }

        var size = Math.Max(checked(_written + sizeHint), Math.Max(InitialSize, _array.Length * 2));
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _array.AsSpan(0, _written).CopyTo(bigger);
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
        }

        _array = bigger;
    }
}
