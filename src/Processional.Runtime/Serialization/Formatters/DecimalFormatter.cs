using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="decimal"/>: its raw 16 bytes as the runtime lays them out (flags, high 32 bits, low 64 bits), like
/// MemoryPack's unmanaged formatter. Reading rejects flags that no decimal has (a scale over 28 or stray bits), which
/// would otherwise make a value that throws later, far from the input.
/// </summary>
public sealed class DecimalFormatter : ProcessionalFormatter<decimal>, IRawFormatter
{
    private const int SignMask = unchecked((int)0x8000_0000);
    private const int ScaleMask = 0x00FF_0000;

    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static DecimalFormatter Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref decimal value) =>
        writer.WriteUnmanaged(value);

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref decimal value)
    {
        var offset = reader.Consumed;
        var read = reader.ReadUnmanaged<decimal>();
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(read, bits);
        var flags = bits[3];
        if ((flags & ~(SignMask | ScaleMask)) != 0 || ((flags & ScaleMask) >> 16) > 28)
        {
            ThrowHelper.ThrowInvalidValue(typeof(decimal), $"flags 0x{flags:X8}", offset);
        }

        value = read;
    }
}
