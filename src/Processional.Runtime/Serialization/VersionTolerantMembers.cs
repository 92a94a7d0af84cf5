using System.Buffers;

namespace Processional.Serialization;

/// <summary>
/// Writes an object in MemoryPack's version-tolerant mode, where the member count is followed by every member's byte
/// length (a varint) and then the members. Since the lengths come first, each member is written into a pooled side
/// buffer; generated formatters of <see cref="VersionTolerantAttribute"/> types use it like this:
/// <code>
/// var members = VersionTolerantMembers.Rent(writer.Options, writer.Depth);
/// members.Write(value.A);
/// members.Write(value.B);
/// members.WriteTo(ref writer);   // returns the buffer to the pool
/// </code>
/// </summary>
public sealed class VersionTolerantMembers
{
    [ThreadStatic]
    private static Stack<VersionTolerantMembers>? t_pool;

    private readonly List<int> _lengths = new(8);
    private ArrayBufferWriter<byte> _buffer = new(256);
    private ProcessionalSerializerOptions _options = ProcessionalSerializerOptions.Default;
    private int _depth;

    private VersionTolerantMembers()
    {
    }

    /// <summary>Rents an instance for one object.</summary>
    /// <param name="options">The options of the writer the object goes to.</param>
    /// <param name="depth">The nesting depth of that writer, so that deep or cyclic values are still caught.</param>
    /// <returns>An empty instance; give it back with <see cref="WriteTo{TBufferWriter}"/>.</returns>
    public static VersionTolerantMembers Rent(ProcessionalSerializerOptions options, int depth)
    {
        var pool = t_pool;
        var members = pool is { Count: > 0 } ? pool.Pop() : new VersionTolerantMembers();
        members._options = options;
        members._depth = depth;
        return members;
    }

    /// <summary>Writes the next member into the side buffer and records its length.</summary>
    /// <typeparam name="T">The member's type.</typeparam>
    /// <param name="value">The member's value.</param>
    public void Write<T>(in T? value)
    {
        var before = _buffer.WrittenCount;
        var writer = new ProcessionalWriter<ArrayBufferWriter<byte>>(ref _buffer, _options, _depth);
        writer.WriteValue(value);
        writer.Flush();
        _lengths.Add(_buffer.WrittenCount - before);
    }

    /// <summary>Writes the member count, the lengths and the members to <paramref name="writer"/>, then returns this instance to the pool.</summary>
    /// <typeparam name="TBufferWriter">The type of the destination's buffer writer.</typeparam>
    /// <param name="writer">The destination.</param>
    public void WriteTo<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer)
        where TBufferWriter : IBufferWriter<byte>
    {
        try
        {
            writer.WriteObjectHeader(checked((byte)_lengths.Count));
            foreach (var length in _lengths)
            {
                writer.WriteVarInt(length);
            }

            writer.WriteBlock(_buffer.WrittenSpan);
        }
        finally
        {
            _lengths.Clear();
            if (_buffer.Capacity > 1024 * 1024)
            {
                // Do not keep a huge buffer alive in the pool after one large object.
                _buffer = new ArrayBufferWriter<byte>(256);
            }
            else
            {
                _buffer.ResetWrittenCount();
            }

            (t_pool ??= new Stack<VersionTolerantMembers>()).Push(this);
        }
    }
}
