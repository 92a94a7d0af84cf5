using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Processional.Serialization;

/// <summary>
/// Writes values in MemoryPack's wire format into an <see cref="IBufferWriter{T}"/>. Generic over the buffer writer's
/// type so that its calls are direct; writes go through a cursor into the current span and are committed to the buffer
/// writer in one <see cref="IBufferWriter{T}.Advance"/> per span (and by <see cref="Flush"/>, which the caller must call
/// once at the end).
/// </summary>
/// <typeparam name="TBufferWriter">The type of the buffer writer.</typeparam>
public ref struct ProcessionalWriter<TBufferWriter>
    where TBufferWriter : IBufferWriter<byte>
{
    // Large strings are measured exactly before they are written, instead of asking for 3 bytes per char.
    private const int ExactStringMeasureThreshold = 16 * 1024;

    // Block copies larger than this go out in chunks of whatever the buffer writer offers, so that writing a large
    // array into a pipe never asks it for one giant segment.
    private const int BlockChunk = 64 * 1024;

    private readonly ref TBufferWriter _bufferWriter;
    private readonly ProcessionalSerializerOptions _options;
    private ref byte _buffer;
    private int _bufferLength;
    private int _advanced;
    private long _committed;
    private int _depth;

    /// <summary>Creates a writer over <paramref name="bufferWriter"/>.</summary>
    /// <param name="bufferWriter">Where the bytes go.</param>
    /// <param name="options">Options; <see langword="null"/> for <see cref="ProcessionalSerializerOptions.Default"/>.</param>
    public ProcessionalWriter(ref TBufferWriter bufferWriter, ProcessionalSerializerOptions? options = null)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Processional's wire format is little-endian; big-endian platforms are not supported.");
        }

        _bufferWriter = ref bufferWriter;
        _options = options ?? ProcessionalSerializerOptions.Default;
        _buffer = ref Unsafe.NullRef<byte>();
    }

    /// <summary>A writer that continues the nesting depth of another, for a value written into a side buffer.</summary>
    internal ProcessionalWriter(ref TBufferWriter bufferWriter, ProcessionalSerializerOptions options, int depth)
        : this(ref bufferWriter, options)
    {
        _depth = depth;
    }

    /// <summary>How deeply the value being written is nested.</summary>
    public readonly int Depth => _depth;

    /// <summary>The options in use.</summary>
    public readonly ProcessionalSerializerOptions Options => _options;

    /// <summary>How many bytes were written so far.</summary>
    public readonly long WrittenCount => _committed + _advanced;

    /// <summary>Commits what was written to the buffer writer. Call once when done; writing may continue after it.</summary>
    public void Flush()
    {
        if (_advanced != 0)
        {
            _bufferWriter.Advance(_advanced);
            _committed += _advanced;
            _advanced = 0;
        }

        // A span handed out before Advance must not be used after it.
        _buffer = ref Unsafe.NullRef<byte>();
        _bufferLength = 0;
    }

    /// <summary>Returns a reference to at least <paramref name="sizeHint"/> writable bytes; follow with <see cref="Advance"/>.</summary>
    /// <param name="sizeHint">How many bytes the caller is about to write.</param>
    /// <returns>A reference to the first writable byte.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref byte GetSpanReference(int sizeHint)
    {
        if (_bufferLength < sizeHint)
        {
            RequestBuffer(sizeHint);
        }

        return ref _buffer;
    }

    /// <summary>Marks <paramref name="count"/> bytes obtained from <see cref="GetSpanReference"/> as written.</summary>
    /// <param name="count">How many bytes were written.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance(int count)
    {
        if ((uint)count > (uint)_bufferLength)
        {
            ThrowAdvancedTooFar(count);
        }

        _buffer = ref Unsafe.Add(ref _buffer, count);
        _bufferLength -= count;
        _advanced += count;
    }

    // Non-generic overloads for the common primitives, which calls with such a value pick over the generic method (the
    // same bytes). The runtime's ahead-of-time (ReadyToRun) code cannot hold this assembly's generic methods instantiated
    // over framework types, so each such instantiation costs a JIT compilation the first time it runs; these do not.

    /// <summary>Writes a byte.</summary>
    /// <param name="value">The value.</param>
    public void WriteUnmanaged(byte value)
    {
        GetSpanReference(1) = value;
        Advance(1);
    }

    /// <summary>Writes a Boolean as one byte (1 or 0).</summary>
    /// <param name="value">The value.</param>
    public void WriteUnmanaged(bool value) => WriteUnmanaged(value ? (byte)1 : (byte)0);

    /// <summary>Writes a 32-bit integer as its raw little-endian bytes.</summary>
    /// <param name="value">The value.</param>
    public void WriteUnmanaged(int value)
    {
        Unsafe.WriteUnaligned(ref GetSpanReference(sizeof(int)), value);
        Advance(sizeof(int));
    }

    /// <summary>Writes a 32-bit unsigned integer as its raw little-endian bytes.</summary>
    /// <param name="value">The value.</param>
    public void WriteUnmanaged(uint value)
    {
        Unsafe.WriteUnaligned(ref GetSpanReference(sizeof(uint)), value);
        Advance(sizeof(uint));
    }

    /// <summary>Writes a 64-bit unsigned integer as its raw little-endian bytes.</summary>
    /// <param name="value">The value.</param>
    public void WriteUnmanaged(ulong value)
    {
        Unsafe.WriteUnaligned(ref GetSpanReference(sizeof(ulong)), value);
        Advance(sizeof(ulong));
    }

    /// <summary>Writes a GUID as its 16 raw bytes.</summary>
    /// <param name="value">The value.</param>
    public void WriteUnmanaged(Guid value)
    {
        Unsafe.WriteUnaligned(ref GetSpanReference(16), value);
        Advance(16);
    }

    /// <summary>Writes an unmanaged value as its raw little-endian bytes (no header).</summary>
    /// <typeparam name="T">An unmanaged type.</typeparam>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUnmanaged<T>(scoped in T value)
        where T : unmanaged
    {
        var size = Unsafe.SizeOf<T>();
        Unsafe.WriteUnaligned(ref GetSpanReference(size), value);
        Advance(size);
    }

    /// <summary>
    /// Writes the raw bytes of a value known (by <see cref="RuntimeHelpers.IsReferenceOrContainsReferences{T}"/>) to hold
    /// no references, for formatters that cannot state the <c>unmanaged</c> constraint.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteRaw<T>(scoped in T value)
    {
        var size = Unsafe.SizeOf<T>();
        Unsafe.WriteUnaligned(ref GetSpanReference(size), value);
        Advance(size);
    }

    /// <summary>Writes an object header: the number of members that follow (0 to 249).</summary>
    /// <param name="memberCount">The member count.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteObjectHeader(byte memberCount)
    {
        if (memberCount >= WireFormat.ReservedObjectHeaderStart)
        {
            ThrowHelper.ThrowTooManyMembers(memberCount);
        }

        WriteUnmanaged(memberCount);
    }

    /// <summary>Writes the header of a null object (<c>255</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteNullObjectHeader() => WriteUnmanaged(WireFormat.NullObject);

    /// <summary>Writes a collection header: the element count as an <see cref="int"/>.</summary>
    /// <param name="length">The element count.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteCollectionHeader(int length) => WriteUnmanaged(length);

    /// <summary>Writes the header of a null collection (<c>-1</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteNullCollectionHeader() => WriteUnmanaged(WireFormat.NullCollection);

    /// <summary>Writes a union header: the tag as one byte below 250, else <c>250</c> and the tag as a <see cref="ushort"/>.</summary>
    /// <param name="tag">The union tag.</param>
    public void WriteUnionHeader(ushort tag)
    {
        if (tag < WireFormat.WideUnionTag)
        {
            WriteUnmanaged((byte)tag);
        }
        else
        {
            WriteUnmanaged(WireFormat.WideUnionTag);
            WriteUnmanaged(tag);
        }
    }

    /// <summary>Writes the header of a null union value (<c>255</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteNullUnionHeader() => WriteUnmanaged(WireFormat.NullObject);

    /// <summary>Writes a variable-length integer in MemoryPack's varint encoding.</summary>
    /// <param name="value">The value.</param>
    public void WriteVarInt(long value)
    {
        if (value is >= WireFormat.VarIntMinSingle and <= sbyte.MaxValue)
        {
            WriteUnmanaged((sbyte)value);
        }
        else if (value is >= sbyte.MinValue and <= sbyte.MaxValue)
        {
            WriteVarIntWithCode(WireFormat.VarIntSByte, (sbyte)value);
        }
        else if (value is >= short.MinValue and <= short.MaxValue)
        {
            WriteVarIntWithCode(WireFormat.VarIntInt16, (short)value);
        }
        else if (value is >= int.MinValue and <= int.MaxValue)
        {
            WriteVarIntWithCode(WireFormat.VarIntInt32, (int)value);
        }
        else
        {
            WriteVarIntWithCode(WireFormat.VarIntInt64, value);
        }
    }

    /// <summary>Writes a string in the encoding of <see cref="ProcessionalSerializerOptions.StringEncoding"/>.</summary>
    /// <param name="value">The string, which may be <see langword="null"/>.</param>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteNullCollectionHeader();
        }
        else if (value.Length == 0)
        {
            WriteCollectionHeader(0);
        }
        else if (_options.StringEncoding == StringEncoding.Utf16)
        {
            WriteCollectionHeader(value.Length);
            WriteBlock(MemoryMarshal.AsBytes(value.AsSpan()));
        }
        else
        {
            WriteUtf8(value);
        }
    }

    /// <summary>Writes a span of unmanaged values: a collection header, then all their bytes in one block copy.</summary>
    /// <typeparam name="T">An unmanaged type.</typeparam>
    /// <param name="values">The values.</param>
    public void WriteUnmanagedSpan<T>(scoped ReadOnlySpan<T> values)
        where T : unmanaged
    {
        WriteCollectionHeader(values.Length);
        WriteRawElements(values);
    }

    /// <summary>Writes an array of unmanaged values (or a null header): a collection header, then one block copy.</summary>
    /// <typeparam name="T">An unmanaged type.</typeparam>
    /// <param name="values">The array, which may be <see langword="null"/>.</param>
    public void WriteUnmanagedArray<T>(T[]? values)
        where T : unmanaged
    {
        if (values is null)
        {
            WriteNullCollectionHeader();
        }
        else if (_options.LargeArrays is { } large && (long)values.Length * Unsafe.SizeOf<T>() >= large.Threshold && values.Length > 0)
        {
            WriteCollectionHeader(LargeArrayTransfer.Marker);
            WriteCollectionHeader(values.Length);
            large.Write(ref this, MemoryMarshal.AsBytes(values.AsSpan()));
        }
        else
        {
            WriteUnmanagedSpan<T>(values);
        }
    }

    /// <summary>
    /// Writes an array: a collection header (or a null header), then every element with the formatter of
    /// <typeparamref name="T"/>; when <typeparamref name="T"/> holds no references, all elements' bytes in one block
    /// copy, so <c>int[]</c> and <c>List&lt;int&gt;</c> have the same bytes.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="values">The array, which may be <see langword="null"/>.</param>
    public void WriteArray<T>(T?[]? values)
    {
        if (values is null)
        {
            WriteNullCollectionHeader();
        }
        else
        {
            WriteSpan<T>(values);
        }
    }

    /// <summary>Writes a span as a collection: its length, then its elements (one block copy when <typeparamref name="T"/> holds no references).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="values">The elements.</param>
    public void WriteSpan<T>(scoped ReadOnlySpan<T?> values)
    {
        WriteCollectionHeader(values.Length);
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            WriteRawElements(values);
            return;
        }

        var formatter = ProcessionalFormatterProvider.GetFormatter<T>();
        for (var i = 0; i < values.Length; i++)
        {
            WriteElement(formatter, ref Unsafe.AsRef(in values[i]));
        }
    }

    /// <summary>
    /// Writes one element of a collection with its formatter. Counts the nesting depth when the element can hold
    /// references, so that collections of collections are bounded by <see cref="ProcessionalSerializerOptions.MaxDepth"/>
    /// like objects are.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteElement<T>(ProcessionalFormatter<T> formatter, scoped ref T? value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            formatter.Serialize(ref this, ref value);
            return;
        }

        if (++_depth > _options.MaxDepth)
        {
            ThrowHelper.ThrowWriteDepthExceeded(_options.MaxDepth, typeof(T));
        }

        formatter.Serialize(ref this, ref value);
        _depth--;
    }

    /// <summary>
    /// Writes the raw bytes of elements that hold no references, with no header. Arrays over 2 GiB go out in several
    /// blocks, since a span of bytes cannot be longer than <see cref="int.MaxValue"/>.
    /// </summary>
    internal void WriteRawElements<T>(scoped ReadOnlySpan<T> values)
    {
        var size = Unsafe.SizeOf<T>();
        var perBlock = int.MaxValue / size;
        while (!values.IsEmpty)
        {
            var count = Math.Min(values.Length, perBlock);
            WriteBlock(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(values)), count * size));
            values = values[count..];
        }
    }

    /// <summary>Writes raw bytes with no header.</summary>
    /// <param name="bytes">The bytes.</param>
    public void WriteBlock(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= _bufferLength)
        {
            bytes.CopyTo(MemoryMarshal.CreateSpan(ref _buffer, _bufferLength));
            Advance(bytes.Length);
            return;
        }

        while (!bytes.IsEmpty)
        {
            var chunk = Math.Min(bytes.Length, BlockChunk);
            if (_bufferLength == 0)
            {
                RequestBuffer(chunk);
            }

            chunk = Math.Min(bytes.Length, _bufferLength);
            bytes[..chunk].CopyTo(MemoryMarshal.CreateSpan(ref _buffer, _bufferLength));
            Advance(chunk);
            bytes = bytes[chunk..];
        }
    }

    /// <summary>
    /// Writes a value with the formatter registered for <typeparamref name="T"/> in
    /// <see cref="ProcessionalFormatterProvider"/>, counting the nesting depth.
    /// </summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="value">The value.</param>
    /// <exception cref="ProcessionalSerializationException">No formatter knows <typeparamref name="T"/>, or the nesting is too deep.</exception>
    public void WriteValue<T>(scoped in T? value)
    {
        var formatter = ProcessionalFormatterProvider.GetFormatter<T>();
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            formatter.Serialize(ref this, ref Unsafe.AsRef(in value));
            return;
        }

        if (++_depth > _options.MaxDepth)
        {
            ThrowHelper.ThrowWriteDepthExceeded(_options.MaxDepth, typeof(T));
        }

        formatter.Serialize(ref this, ref Unsafe.AsRef(in value));
        _depth--;
    }

    /// <summary>Writes a value with the given formatter, counting the nesting depth.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="formatter">The formatter to use.</param>
    /// <param name="value">The value.</param>
    public void WriteValueWithFormatter<T>(ProcessionalFormatter<T> formatter, scoped in T? value)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (++_depth > _options.MaxDepth)
        {
            ThrowHelper.ThrowWriteDepthExceeded(_options.MaxDepth, typeof(T));
        }

        formatter.Serialize(ref this, ref Unsafe.AsRef(in value));
        _depth--;
    }

    private void WriteVarIntWithCode<T>(sbyte code, T value)
        where T : unmanaged
    {
        var size = 1 + Unsafe.SizeOf<T>();
        ref var destination = ref GetSpanReference(size);
        destination = (byte)code;
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, 1), value);
        Advance(size);
    }

    private void WriteUtf8(string value)
    {
        int maxBytes;
        if (value.Length <= ExactStringMeasureThreshold)
        {
            maxBytes = (value.Length + 1) * 3;
        }
        else
        {
            maxBytes = Encoding.UTF8.GetByteCount(value);
        }

        ref var destination = ref GetSpanReference(checked(maxBytes + 8));
        var written = Encoding.UTF8.GetBytes(value, MemoryMarshal.CreateSpan(ref Unsafe.Add(ref destination, 8), maxBytes));
        Unsafe.WriteUnaligned(ref destination, ~written);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, 4), value.Length);
        Advance(written + 8);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RequestBuffer(int sizeHint)
    {
        Flush();
        var span = _bufferWriter.GetSpan(sizeHint);
        if (span.Length < sizeHint)
        {
            ThrowHelper.ThrowBufferWriterTooSmall(sizeHint, span.Length);
        }

        _buffer = ref MemoryMarshal.GetReference(span);
        _bufferLength = span.Length;
    }

    private readonly void ThrowAdvancedTooFar(int count) =>
        throw new ArgumentOutOfRangeException(nameof(count), count, $"Cannot advance past the {_bufferLength} bytes obtained.");
}
