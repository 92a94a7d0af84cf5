using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="DateTime"/>: its raw 8 bytes (ticks in the low 62 bits, the kind in the top 2), like MemoryPack's
/// unmanaged formatter. Reading rejects ticks past <see cref="DateTime.MaxValue"/>.
/// </summary>
public sealed class DateTimeFormatter : ProcessionalFormatter<DateTime>, IRawFormatter
{
    private const ulong TicksMask = 0x3FFF_FFFF_FFFF_FFFF;

    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static DateTimeFormatter Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref DateTime value) =>
        writer.WriteUnmanaged(value);

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref DateTime value)
    {
        var offset = reader.Consumed;
        var data = reader.ReadUnmanaged<ulong>();
        if ((data & TicksMask) > (ulong)DateTime.MaxValue.Ticks)
        {
            ThrowHelper.ThrowInvalidValue(typeof(DateTime), $"{data & TicksMask} ticks", offset);
        }

        value = Unsafe.As<ulong, DateTime>(ref data);
    }
}
