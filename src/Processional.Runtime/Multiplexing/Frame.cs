using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Processional.Multiplexing;

/// <summary>
/// The 8-byte frame header: byte 0 the type, bytes 1-3 the payload length (24-bit little-endian), bytes 4-7 the
/// channel id (32-bit little-endian). Read as one little-endian uint32, the first word is <c>type | length &lt;&lt; 8</c>.
/// </summary>
internal static class Frame
{
    public const int HeaderLength = 8;

    /// <summary>The largest payload the 24-bit length can carry.</summary>
    public const int MaxPayloadLimit = (1 << 24) - 1;

    /// <summary>The smallest maximum payload a peer may announce.</summary>
    public const int MinMaxPayload = 1024;

    /// <summary>The smallest and largest window a peer may announce.</summary>
    public const int MinWindow = 1024;

    public const int MaxWindow = 1 << 30;

    public const int SettingsLength = 8;
    public const int WindowUpdateLength = 4;
    public const int PingLength = 8;

    /// <summary>Reset and GoAway messages are cut to this many bytes when sent.</summary>
    public const int MaxMessageBytes = 1024;

    public const byte GoAwayNormal = 0;
    public const byte GoAwayProtocolError = 1;
    public const byte GoAwayError = 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteHeader(Span<byte> destination, FrameType type, int length, uint channel)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)type | ((uint)length << 8));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], channel);
    }
}
