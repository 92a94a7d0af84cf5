using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="ImmutableQueue{T}"/>: the element count (<c>-1</c> for null), then the elements from the head to the tail
/// (MemoryPack: <c>src/MemoryPack.Core/Formatters/ImmutableCollectionFormatters.cs</c>).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ImmutableQueueFormatter<T> : ProcessionalFormatter<ImmutableQueue<T?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static ImmutableQueueFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ImmutableQueue<T?>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }

        // An immutable queue has no count; walking it twice is cheaper than buffering its elements.
        var count = 0;
        foreach (var _ in value)
        {
            count++;
        }

        var formatter = ProcessionalFormatterProvider.GetFormatter<T>();
        writer.WriteCollectionHeader(count);
        foreach (var item in value)
        {
            var element = item;
            writer.WriteElement(formatter, ref element);
        }
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref ImmutableQueue<T?>? value)
    {
        var array = reader.ReadArray<T>();
        value = array is null ? null : ImmutableQueue.Create(array);
    }
}
