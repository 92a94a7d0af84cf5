using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="Queue{T}"/>: the element count (<c>-1</c> for null), then the elements from the head to the tail, which
/// is also the order they are enqueued in when read (MemoryPack: <c>src/MemoryPack.Core/Formatters/CollectionFormatters.cs</c>).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class QueueFormatter<T> : ProcessionalFormatter<Queue<T?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static QueueFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Queue<T?>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }

        var formatter = ProcessionalFormatterProvider.GetFormatter<T>();
        writer.WriteCollectionHeader(value.Count);
        foreach (var item in value)
        {
            var element = item;
            writer.WriteElement(formatter, ref element);
        }
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref Queue<T?>? value)
    {
        if (!reader.TryReadCollectionHeader(out var count, WireSize<T>.Minimum))
        {
            value = null;
            return;
        }

        if (value is null)
        {
            value = new Queue<T?>(count);
        }
        else
        {
            value.Clear();
        }

        var formatter = ProcessionalFormatterProvider.GetFormatter<T>();
        for (var i = 0; i < count; i++)
        {
            T? element = default;
            reader.ReadElement(formatter, ref element);
            value.Enqueue(element);
        }
    }
}
