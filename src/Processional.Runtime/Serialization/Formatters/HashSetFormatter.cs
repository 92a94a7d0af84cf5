using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="HashSet{T}"/>: the element count (<c>-1</c> for null), then the elements in enumeration order (MemoryPack:
/// <c>src/MemoryPack.Core/Formatters/CollectionFormatters.cs</c>). The comparer is not written: the set is read back
/// with the default comparer (or keeps the comparer of the instance it is read into); elements that are equal under it
/// are rejected as corrupted input.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class HashSetFormatter<T> : ProcessionalFormatter<HashSet<T?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static HashSetFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref HashSet<T?>? value)
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
    public override void Deserialize(ref ProcessionalReader reader, scoped ref HashSet<T?>? value)
    {
        if (!reader.TryReadCollectionHeader(out var count, WireSize<T>.Minimum))
        {
            value = null;
            return;
        }

        if (value is null)
        {
            value = new HashSet<T?>(count);
        }
        else
        {
            value.Clear();
        }

        var formatter = ProcessionalFormatterProvider.GetFormatter<T>();
        for (var i = 0; i < count; i++)
        {
            var offset = reader.Consumed;
            T? element = default;
            reader.ReadElement(formatter, ref element);
            if (!value.Add(element))
            {
                ThrowHelper.ThrowDuplicate(typeof(HashSet<T>), offset);
            }
        }
    }
}
