using System.Buffers;

namespace Processional.Serialization;

/// <summary>
/// The hook through which large arrays of unmanaged values bypass the byte stream: set on the serializer options of a
/// connection whose peer runs on the same machine (a slave process), it carries an array's bytes in shared memory and
/// writes only a handle. Off (null) by default, and always off for connections to other machines.
/// </summary>
internal abstract class LargeArrayTransfer
{
    /// <summary>The collection header that announces an array carried out of band: <c>-2</c>, then <c>int32</c> count, then the carrier's handle.</summary>
    public const int Marker = -2;

    /// <summary>Arrays of at least this many bytes are carried out of band.</summary>
    public abstract long Threshold { get; }

    /// <summary>Places <paramref name="bytes"/> where the peer can read them and writes what it needs to find them.</summary>
    public abstract void Write<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, ReadOnlySpan<byte> bytes)
        where TBufferWriter : IBufferWriter<byte>;

    /// <summary>Reads what <see cref="Write"/> wrote and copies the bytes into <paramref name="destination"/>.</summary>
    public abstract void Read(ref ProcessionalReader reader, Span<byte> destination);
}
