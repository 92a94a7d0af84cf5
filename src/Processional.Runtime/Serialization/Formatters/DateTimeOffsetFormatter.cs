using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="DateTimeOffset"/>: 16 bytes, the raw struct as .NET 8+ lays it out and MemoryPack copies it — the offset in
/// minutes as an <see cref="int"/>, 4 bytes of padding, then the UTC date-time's 8 bytes (its ticks). The padding is
/// written as zeros (a raw copy could leak whatever was in memory there). Reading rejects an offset beyond ±14 hours
/// and dates outside <see cref="DateTimeOffset"/>'s range.
/// </summary>
public sealed class DateTimeOffsetFormatter : ProcessionalFormatter<DateTimeOffset>, IRawFormatter
{
    private const int MaxOffsetMinutes = 14 * 60;
    private const ulong TicksMask = 0x3FFF_FFFF_FFFF_FFFF;

    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static DateTimeOffsetFormatter Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref DateTimeOffset value)
    {
        writer.WriteUnmanaged(value.TotalOffsetMinutes);
        writer.WriteUnmanaged(0);
        writer.WriteUnmanaged(value.UtcTicks);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref DateTimeOffset value)
    {
        var offset = reader.Consumed;
        var minutes = reader.ReadUnmanaged<int>();
        _ = reader.ReadUnmanaged<int>();
        var utcTicks = (long)(reader.ReadUnmanaged<ulong>() & TicksMask);
        if (minutes is < -MaxOffsetMinutes or > MaxOffsetMinutes)
        {
            ThrowHelper.ThrowInvalidValue(typeof(DateTimeOffset), $"an offset of {minutes} minutes", offset);
        }

        var localTicks = utcTicks + (minutes * TimeSpan.TicksPerMinute);
        if (utcTicks > DateTime.MaxValue.Ticks || localTicks < 0 || localTicks > DateTime.MaxValue.Ticks)
        {
            ThrowHelper.ThrowInvalidValue(typeof(DateTimeOffset), $"{utcTicks} UTC ticks with an offset of {minutes} minutes", offset);
        }

        value = new DateTimeOffset(localTicks, TimeSpan.FromMinutes(minutes));
    }
}
