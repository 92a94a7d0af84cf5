using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary><see cref="DateOnly"/>: its raw 4 bytes (the day number), like MemoryPack; reading rejects days past <see cref="DateOnly.MaxValue"/>.</summary>
public sealed class DateOnlyFormatter : ProcessionalFormatter<DateOnly>, IRawFormatter
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static DateOnlyFormatter Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref DateOnly value) =>
        writer.WriteUnmanaged(value);

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref DateOnly value)
    {
        var offset = reader.Consumed;
        var dayNumber = reader.ReadUnmanaged<uint>();
        if (dayNumber > (uint)DateOnly.MaxValue.DayNumber)
        {
            ThrowHelper.ThrowInvalidValue(typeof(DateOnly), $"day number {dayNumber}", offset);
        }

        value = DateOnly.FromDayNumber((int)dayNumber);
    }
}
