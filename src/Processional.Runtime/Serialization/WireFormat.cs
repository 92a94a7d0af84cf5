namespace Processional.Serialization;

/// <summary>The constants of MemoryPack's wire format.</summary>
internal static class WireFormat
{
    /// <summary>Object headers 250 to 254 are reserved (250 is also the wide union tag marker).</summary>
    public const byte ReservedObjectHeaderStart = 250;

    /// <summary>A union whose tag does not fit in one byte: <c>250</c>, then a <see cref="ushort"/> tag.</summary>
    public const byte WideUnionTag = 250;

    /// <summary>The header of a null object or a null union value.</summary>
    public const byte NullObject = 255;

    /// <summary>The length of a null collection or string.</summary>
    public const int NullCollection = -1;

    /// <summary>The smallest varint written as a single byte.</summary>
    public const sbyte VarIntMinSingle = -120;

    public const sbyte VarIntByte = -121;
    public const sbyte VarIntSByte = -122;
    public const sbyte VarIntUInt16 = -123;
    public const sbyte VarIntInt16 = -124;
    public const sbyte VarIntUInt32 = -125;
    public const sbyte VarIntInt32 = -126;
    public const sbyte VarIntUInt64 = -127;
    public const sbyte VarIntInt64 = -128;
}
