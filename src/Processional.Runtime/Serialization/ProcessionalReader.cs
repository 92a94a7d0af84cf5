using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Processional.Serialization;

/// <summary>
/// Reads values in MemoryPack's wire format from a <see cref="ReadOnlySequence{T}"/> or a span. Every length read
/// from the input is checked against the bytes that remain and against the limits of
/// <see cref="ProcessionalSerializerOptions"/>; bad input throws <see cref="ProcessionalSerializationException"/>
/// with the offset where it was found, never an <see cref="IndexOutOfRangeException"/> or a huge allocation.
/// </summary>
public ref struct ProcessionalReader
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ProcessionalSerializerOptions _options;
    private ReadOnlySpan<byte> _current;
    private ReadOnlySequence<byte> _rest;
    private long _consumedBeforeCurrent;
    private int _currentStartLength;
    private int _depth;

    /// <summary>Creates a reader over a sequence of bytes.</summary>
    /// <param name="input">The bytes to read.</param>
    /// <param name="options">Options; <see langword="null"/> for <see cref="ProcessionalSerializerOptions.Default"/>.</param>
    public ProcessionalReader(in ReadOnlySequence<byte> input, ProcessionalSerializerOptions? options = null)
    {
        _options = options ?? ProcessionalSerializerOptions.Default;
        if (input.IsSingleSegment)
        {
            _current = input.FirstSpan;
            _rest = ReadOnlySequence<byte>.Empty;
        }
        else
        {
            _current = input.FirstSpan;
            _rest = input.Slice(_current.Length);
        }

        _currentStartLength = _current.Length;
    }

    /// <summary>Creates a reader over a span of bytes.</summary>
    /// <param name="input">The bytes to read.</param>
    /// <param name="options">Options; <see langword="null"/> for <see cref="ProcessionalSerializerOptions.Default"/>.</param>
    public ProcessionalReader(ReadOnlySpan<byte> input, ProcessionalSerializerOptions? options = null)
    {
        _options = options ?? ProcessionalSerializerOptions.Default;
        _current = input;
        _rest = ReadOnlySequence<byte>.Empty;
        _currentStartLength = input.Length;
    }

    /// <summary>The options in use.</summary>
    public readonly ProcessionalSerializerOptions Options => _options;

    /// <summary>How many bytes were read so far.</summary>
    public readonly long Consumed => _consumedBeforeCurrent + (_currentStartLength - _current.Length);

    /// <summary>How many bytes remain.</summary>
    public readonly long Remaining => _current.Length + _rest.Length;

    // Non-generic reads of the common primitives (the same bytes as ReadUnmanaged<T>): ahead-of-time (ReadyToRun) code
    // cannot hold this assembly's generic methods instantiated over framework types, so the protocol's own reads use these.

    /// <summary>Reads a byte.</summary>
    /// <returns>The value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadByte()
    {
        if (_current.Length >= 1)
        {
            var value = Unsafe.ReadUnaligned<byte>(ref MemoryMarshal.GetReference(_current));
            _current = _current[1..];
            return value;
        }

        Span<byte> scratch = stackalloc byte[1];
        ReadBlock(scratch);
        return Unsafe.ReadUnaligned<byte>(ref MemoryMarshal.GetReference(scratch));
    }

    /// <summary>Reads a 32-bit integer from its raw little-endian bytes.</summary>
    /// <returns>The value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadInt32()
    {
        if (_current.Length >= sizeof(int))
        {
            var value = Unsafe.ReadUnaligned<int>(ref MemoryMarshal.GetReference(_current));
            _current = _current[sizeof(int)..];
            return value;
        }

        Span<byte> scratch = stackalloc byte[sizeof(int)];
        ReadBlock(scratch);
        return Unsafe.ReadUnaligned<int>(ref MemoryMarshal.GetReference(scratch));
    }

    /// <summary>Reads a 32-bit unsigned integer from its raw little-endian bytes.</summary>
    /// <returns>The value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadUInt32()
    {
        if (_current.Length >= sizeof(uint))
        {
            var value = Unsafe.ReadUnaligned<uint>(ref MemoryMarshal.GetReference(_current));
            _current = _current[sizeof(uint)..];
            return value;
        }

        Span<byte> scratch = stackalloc byte[sizeof(uint)];
        ReadBlock(scratch);
        return Unsafe.ReadUnaligned<uint>(ref MemoryMarshal.GetReference(scratch));
    }

    /// <summary>Reads a 64-bit unsigned integer from its raw little-endian bytes.</summary>
    /// <returns>The value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadUInt64()
    {
        if (_current.Length >= sizeof(ulong))
        {
            var value = Unsafe.ReadUnaligned<ulong>(ref MemoryMarshal.GetReference(_current));
            _current = _current[sizeof(ulong)..];
            return value;
        }

        Span<byte> scratch = stackalloc byte[sizeof(ulong)];
        ReadBlock(scratch);
        return Unsafe.ReadUnaligned<ulong>(ref MemoryMarshal.GetReference(scratch));
    }

    /// <summary>Reads a GUID from its 16 raw bytes.</summary>
    /// <returns>The value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Guid ReadGuid()
    {
        if (_current.Length >= 16)
        {
            var value = Unsafe.ReadUnaligned<Guid>(ref MemoryMarshal.GetReference(_current));
            _current = _current[16..];
            return value;
        }

        Span<byte> scratch = stackalloc byte[16];
        ReadBlock(scratch);
        return Unsafe.ReadUnaligned<Guid>(ref MemoryMarshal.GetReference(scratch));
    }

    /// <summary>Reads an unmanaged value from its raw little-endian bytes.</summary>
    /// <typeparam name="T">An unmanaged type.</typeparam>
    /// <returns>The value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T ReadUnmanaged<T>()
        where T : unmanaged
    {
        var size = Unsafe.SizeOf<T>();
        if (_current.Length >= size)
        {
            var value = Unsafe.ReadUnaligned<T>(ref MemoryMarshal.GetReference(_current));
            _current = _current[size..];
            return value;
        }

        return ReadUnmanagedSlow<T>();
    }

    /// <summary>Reads the raw bytes of a value known to hold no references (see <see cref="ProcessionalWriter{TBufferWriter}.WriteRaw{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal T ReadRaw<T>()
    {
        var size = Unsafe.SizeOf<T>();
        if (_current.Length >= size)
        {
            var value = Unsafe.ReadUnaligned<T>(ref MemoryMarshal.GetReference(_current));
            _current = _current[size..];
            return value;
        }

        return ReadRawSlow<T>();
    }

    /// <summary>Reads an object header. Returns <see langword="false"/> for a null object.</summary>
    /// <param name="memberCount">The number of members that follow.</param>
    /// <returns><see langword="true"/> when an object follows.</returns>
    public bool TryReadObjectHeader(out byte memberCount)
    {
        var offset = Consumed;
        memberCount = ReadUnmanaged<byte>();
        if (memberCount == WireFormat.NullObject)
        {
            return false;
        }

        if (memberCount >= WireFormat.ReservedObjectHeaderStart)
        {
            ThrowHelper.ThrowInvalid($"Object header {memberCount} is reserved (250-254): the input is corrupted or uses references, which are not supported", offset);
        }

        return true;
    }

    /// <summary>
    /// Reads a collection header. Returns <see langword="false"/> for a null collection. The length is checked against
    /// <see cref="ProcessionalSerializerOptions.MaxCollectionLength"/> and against the bytes that remain, counting at
    /// least one byte per element.
    /// </summary>
    /// <param name="length">The number of elements that follow.</param>
    /// <returns><see langword="true"/> when a collection follows.</returns>
    public bool TryReadCollectionHeader(out int length)
    {
        var offset = Consumed;
        length = ReadInt32();
        if (length == WireFormat.NullCollection)
        {
            return false;
        }

        CheckLength(length, minimumElementSize: 1, offset);
        return true;
    }

    /// <summary>
    /// Reads a collection header whose elements take at least <paramref name="minimumElementSize"/> bytes each on the
    /// wire. Returns <see langword="false"/> for a null collection. The length is checked against
    /// <see cref="ProcessionalSerializerOptions.MaxCollectionLength"/> and against the bytes that remain, so that a forged
    /// length cannot make the caller allocate more than the input could fill.
    /// </summary>
    /// <param name="length">The number of elements that follow.</param>
    /// <param name="minimumElementSize">The fewest bytes one element takes (at least 1).</param>
    /// <returns><see langword="true"/> when a collection follows.</returns>
    public bool TryReadCollectionHeader(out int length, int minimumElementSize)
    {
        var offset = Consumed;
        length = ReadInt32();
        if (length == WireFormat.NullCollection)
        {
            return false;
        }

        CheckLength(length, Math.Max(1, minimumElementSize), offset);
        return true;
    }

    /// <summary>Reads a union header. Returns <see langword="false"/> for a null value.</summary>
    /// <param name="tag">The tag of the concrete type that follows.</param>
    /// <returns><see langword="true"/> when a value follows.</returns>
    public bool TryReadUnionHeader(out ushort tag)
    {
        var offset = Consumed;
        var first = ReadUnmanaged<byte>();
        if (first == WireFormat.NullObject)
        {
            tag = 0;
            return false;
        }

        if (first < WireFormat.WideUnionTag)
        {
            tag = first;
            return true;
        }

        if (first != WireFormat.WideUnionTag)
        {
            ThrowHelper.ThrowInvalid($"Union header {first} is reserved (251-254)", offset);
        }

        tag = ReadUnmanaged<ushort>();
        return true;
    }

    /// <summary>Reads a variable-length integer in MemoryPack's varint encoding.</summary>
    /// <returns>The value.</returns>
    public long ReadVarIntInt64()
    {
        var offset = Consumed;
        var code = ReadUnmanaged<sbyte>();
        if (code >= WireFormat.VarIntMinSingle)
        {
            return code;
        }

        switch (code)
        {
            case WireFormat.VarIntByte:
                return ReadUnmanaged<byte>();
            case WireFormat.VarIntSByte:
                return ReadUnmanaged<sbyte>();
            case WireFormat.VarIntUInt16:
                return ReadUnmanaged<ushort>();
            case WireFormat.VarIntInt16:
                return ReadUnmanaged<short>();
            case WireFormat.VarIntUInt32:
                return ReadUnmanaged<uint>();
            case WireFormat.VarIntInt32:
                return ReadInt32();
            case WireFormat.VarIntUInt64:
                var unsigned = ReadUnmanaged<ulong>();
                if (unsigned > long.MaxValue)
                {
                    ThrowHelper.ThrowInvalid($"Varint {unsigned} does not fit in a long", offset);
                }

                return (long)unsigned;
            default:
                return ReadUnmanaged<long>();
        }
    }

    /// <summary>Reads a variable-length integer that must fit in an <see cref="int"/>.</summary>
    /// <returns>The value.</returns>
    public int ReadVarIntInt32()
    {
        var offset = Consumed;
        var value = ReadVarIntInt64();
        if (value is < int.MinValue or > int.MaxValue)
        {
            ThrowHelper.ThrowInvalid($"Varint {value} does not fit in an int", offset);
        }

        return (int)value;
    }

    /// <summary>Reads a string written in either encoding (UTF-8 or UTF-16).</summary>
    /// <returns>The string, or <see langword="null"/>.</returns>
    public string? ReadString()
    {
        var offset = Consumed;
        var first = ReadInt32();
        if (first == WireFormat.NullCollection)
        {
            return null;
        }

        if (first == 0)
        {
            return string.Empty;
        }

        if (first > 0)
        {
            // UTF-16: the char count, then the code units.
            var byteCount = (long)first * 2;
            CheckStringBytes(byteCount, offset);
            if (_current.Length >= byteCount)
            {
                var text = new string(MemoryMarshal.Cast<byte, char>(_current[..(int)byteCount]));
                _current = _current[(int)byteCount..];
                return text;
            }

            var chars = new char[first];
            ReadBlock(MemoryMarshal.AsBytes(chars.AsSpan()));
            return new string(chars);
        }

        var utf8Count = ~first;
        var charCount = ReadInt32();
        CheckStringBytes(utf8Count, offset);
        if (charCount < -1 || charCount > utf8Count)
        {
            ThrowHelper.ThrowInvalid($"String of {utf8Count} UTF-8 bytes claims {charCount} chars", offset);
        }

        string result;
        try
        {
            if (_current.Length >= utf8Count)
            {
                result = s_strictUtf8.GetString(_current[..utf8Count]);
                _current = _current[utf8Count..];
            }
            else
            {
                var bytes = new byte[utf8Count];
                ReadBlock(bytes);
                result = s_strictUtf8.GetString(bytes);
            }
        }
        catch (DecoderFallbackException ex)
        {
            ThrowHelper.ThrowInvalid($"String of {utf8Count} bytes is not valid UTF-8", offset, ex);
            throw; // Not reached: ThrowInvalid throws, but definite assignment of the result needs a throw here.
        }

        if (charCount != -1 && result.Length != charCount)
        {
            ThrowHelper.ThrowInvalid($"String of {utf8Count} UTF-8 bytes decodes to {result.Length} chars, not the {charCount} its header claims", offset);
        }

        return result;
    }

    /// <summary>Reads an array of unmanaged values written by <see cref="ProcessionalWriter{TBufferWriter}.WriteUnmanagedArray{T}"/>.</summary>
    /// <typeparam name="T">An unmanaged type.</typeparam>
    /// <returns>The array, or <see langword="null"/>.</returns>
    public T[]? ReadUnmanagedArray<T>()
        where T : unmanaged
    {
        var offset = Consumed;
        var length = ReadInt32();
        if (length == WireFormat.NullCollection)
        {
            return null;
        }

        if (length == LargeArrayTransfer.Marker)
        {
            return ReadLargeArray<T>(offset);
        }

        CheckLength(length, Unsafe.SizeOf<T>(), offset);
        if (length == 0)
        {
            return [];
        }

        var array = GC.AllocateUninitializedArray<T>(length);
        ReadRawElements(array.AsSpan());
        return array;
    }

    /// <summary>Reads an array carried out of band (see <see cref="LargeArrayTransfer"/>), after its marker.</summary>
    private T[] ReadLargeArray<T>(long offset)
        where T : unmanaged
    {
        if (_options.LargeArrays is not { } large)
        {
            ThrowHelper.ThrowInvalid("An array carried in shared memory arrived on a connection that does not use shared memory", offset);
            return [];
        }

        var length = ReadInt32();
        if (length <= 0 || length > _options.MaxCollectionLength)
        {
            ThrowHelper.ThrowInvalid($"An array carried in shared memory has an invalid length {length}", offset);
            return [];
        }

        var array = GC.AllocateUninitializedArray<T>(length);
        large.Read(ref this, MemoryMarshal.AsBytes(array.AsSpan()));
        return array;
    }

    /// <summary>
    /// Reads an array written by <see cref="ProcessionalWriter{TBufferWriter}.WriteArray{T}"/>: a collection header, then
    /// the elements (one block copy when <typeparamref name="T"/> holds no references).
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns>The array, or <see langword="null"/>.</returns>
    public T?[]? ReadArray<T>()
    {
        T?[]? array = null;
        ReadArray(ref array);
        return array;
    }

    /// <summary>Reads an array into <paramref name="value"/>, reusing it when it already has the length read.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="value">Receives the array.</param>
    public void ReadArray<T>(scoped ref T?[]? value)
    {
        // Elements without references are one block copy, so their exact size is the minimum.
        var minimumSize = RuntimeHelpers.IsReferenceOrContainsReferences<T>() ? WireSize<T>.Minimum : Unsafe.SizeOf<T>();
        if (!TryReadCollectionHeader(out var length, minimumSize))
        {
            value = null;
            return;
        }

        if (length == 0)
        {
            value = [];
            return;
        }

        // A covariant array (a string[] passed as object[]) cannot take the elements read: make a new one.
        if (value is null || value.Length != length || value.GetType() != typeof(T[]))
        {
            value = RuntimeHelpers.IsReferenceOrContainsReferences<T>() ? new T?[length] : GC.AllocateUninitializedArray<T?>(length);
        }

        ReadElements<T>(value);
    }

    /// <summary>Reads <c>destination.Length</c> elements without a header: one block copy when <typeparamref name="T"/> holds no references.</summary>
    internal void ReadElements<T>(scoped Span<T?> destination)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            ReadRawElements(destination);
            return;
        }

        var formatter = ProcessionalFormatterProvider.GetFormatter<T>();
        for (var i = 0; i < destination.Length; i++)
        {
            ReadElement(formatter, ref destination[i]);
        }
    }

    /// <summary>
    /// Reads one element of a collection with its formatter, counting the nesting depth when the element can hold
    /// references (collections of collections are bounded by <see cref="ProcessionalSerializerOptions.MaxDepth"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void ReadElement<T>(ProcessionalFormatter<T> formatter, scoped ref T? value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            formatter.Deserialize(ref this, ref value);
            return;
        }

        EnterNested<T>();
        formatter.Deserialize(ref this, ref value);
        _depth--;
    }

    /// <summary>Copies raw bytes into elements that hold no references; in several blocks past 2 GiB.</summary>
    internal void ReadRawElements<T>(scoped Span<T> destination)
    {
        var size = Unsafe.SizeOf<T>();
        var perBlock = int.MaxValue / size;
        while (!destination.IsEmpty)
        {
            var count = Math.Min(destination.Length, perBlock);
            ReadBlock(MemoryMarshal.CreateSpan(ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(destination)), count * size));
            destination = destination[count..];
        }
    }

    /// <summary>Copies the next <c>destination.Length</c> bytes into <paramref name="destination"/>.</summary>
    /// <param name="destination">Where the bytes go.</param>
    public void ReadBlock(scoped Span<byte> destination)
    {
        if (_current.Length >= destination.Length)
        {
            _current[..destination.Length].CopyTo(destination);
            _current = _current[destination.Length..];
            return;
        }

        if (Remaining < destination.Length)
        {
            ThrowHelper.ThrowTruncated(destination.Length, Remaining, Consumed);
        }

        while (!destination.IsEmpty)
        {
            if (_current.IsEmpty)
            {
                MoveToNextSegment();
            }

            var chunk = Math.Min(_current.Length, destination.Length);
            _current[..chunk].CopyTo(destination);
            _current = _current[chunk..];
            destination = destination[chunk..];
        }
    }

    /// <summary>Skips <paramref name="count"/> bytes (for example an unknown member of a version-tolerant object).</summary>
    /// <param name="count">How many bytes to skip.</param>
    public void Skip(long count)
    {
        if (count < 0 || count > Remaining)
        {
            ThrowHelper.ThrowTruncated(count, Remaining, Consumed);
        }

        while (count > 0)
        {
            if (_current.IsEmpty)
            {
                MoveToNextSegment();
            }

            var chunk = (int)Math.Min(_current.Length, count);
            _current = _current[chunk..];
            count -= chunk;
        }
    }

    /// <summary>
    /// Reads a value with the formatter registered for <typeparamref name="T"/> in
    /// <see cref="ProcessionalFormatterProvider"/>, counting the nesting depth.
    /// </summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <returns>The value.</returns>
    public T? ReadValue<T>()
    {
        T? value = default;
        ReadValue(ref value);
        return value;
    }

    /// <summary>Reads a value into <paramref name="value"/>, which the formatter may reuse.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="value">Receives the value.</param>
    public void ReadValue<T>(scoped ref T? value)
    {
        var formatter = ProcessionalFormatterProvider.GetFormatter<T>();
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            formatter.Deserialize(ref this, ref value);
            return;
        }

        EnterNested<T>();
        formatter.Deserialize(ref this, ref value);
        _depth--;
    }

    /// <summary>Reads a value with the given formatter, counting the nesting depth.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="formatter">The formatter to use.</param>
    /// <param name="value">Receives the value.</param>
    public void ReadValueWithFormatter<T>(ProcessionalFormatter<T> formatter, scoped ref T? value)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        EnterNested<T>();
        formatter.Deserialize(ref this, ref value);
        _depth--;
    }

    /// <summary>Throws a <see cref="ProcessionalSerializationException"/> saying what was wrong at the current offset.</summary>
    /// <param name="message">What was wrong.</param>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public readonly void ThrowInvalid(string message) => ThrowHelper.ThrowInvalid(message, Consumed);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnterNested<T>()
    {
        if (++_depth > _options.MaxDepth)
        {
            ThrowDepthExceeded(typeof(T));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowDepthExceeded(Type type) =>
        ThrowHelper.ThrowInvalid($"Nesting deeper than {_options.MaxDepth} levels while reading {type}", Consumed);

    private readonly void CheckLength(int length, int minimumElementSize, long offset)
    {
        if (length < 0)
        {
            ThrowHelper.ThrowInvalid($"Collection length {length} is negative", offset);
        }

        if (length > _options.MaxCollectionLength)
        {
            ThrowHelper.ThrowInvalid($"Collection length {length} is over the limit of {_options.MaxCollectionLength}", offset);
        }

        if ((long)length * minimumElementSize > Remaining)
        {
            ThrowHelper.ThrowInvalid($"Collection of {length} elements of at least {minimumElementSize} bytes each does not fit in the {Remaining} bytes that remain", offset);
        }
    }

    private readonly void CheckStringBytes(long byteCount, long offset)
    {
        if (byteCount > _options.MaxStringBytes)
        {
            ThrowHelper.ThrowInvalid($"String of {byteCount} bytes is over the limit of {_options.MaxStringBytes}", offset);
        }

        if (byteCount > Remaining)
        {
            ThrowHelper.ThrowInvalid($"String of {byteCount} bytes does not fit in the {Remaining} bytes that remain", offset);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private T ReadRawSlow<T>()
    {
        var value = default(T)!;
        ReadBlock(MemoryMarshal.CreateSpan(ref Unsafe.As<T, byte>(ref value), Unsafe.SizeOf<T>()));
        return value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private T ReadUnmanagedSlow<T>()
        where T : unmanaged
    {
        T value = default;
        ReadBlock(MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref value, 1)));
        return value;
    }

    private void MoveToNextSegment()
    {
        _consumedBeforeCurrent += _currentStartLength;
        while (!_rest.IsEmpty)
        {
            var next = _rest.FirstSpan;
            _rest = _rest.Slice(next.Length);
            if (!next.IsEmpty)
            {
                _current = next;
                _currentStartLength = next.Length;
                return;
            }
        }

        ThrowHelper.ThrowTruncated(1, 0, Consumed);
    }
}
