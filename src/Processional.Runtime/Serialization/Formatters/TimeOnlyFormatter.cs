using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary><see cref="TimeOnly"/>: its raw 8 bytes (the ticks since midnight), like MemoryPack; reading rejects a day or more of ticks.</summary>
public sealed class TimeOnlyFormatter : ProcessionalFormatter<TimeOnly>, IRawFormatter
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static TimeOnlyFormatter Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref TimeOnly value) =>
        writer.WriteUnmanaged(value);

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref TimeOnly value)
    {
        var offset = reader.Consumed;
        var ticks = reader.ReadUnmanaged<ulong>();
        if (ticks >= TimeSpan.TicksPerDay)
        {
            ThrowHelper.ThrowInvalidValue(typeof(TimeOnly), $"{ticks} ticks", offset);
        }

        value = new TimeOnly((long)ticks);
    }
}
