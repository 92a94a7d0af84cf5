using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="SortedSet{T}"/>: the same bytes as a set, elements in sorted order. The comparer is not written: the set
/// is read back with the default comparer; elements that are equal under it are rejected as corrupted input.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class SortedSetFormatter<T> : ProcessionalFormatter<SortedSet<T?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static SortedSetFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref SortedSet<T?>? value)
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
    public override void Deserialize(ref ProcessionalReader reader, scoped ref SortedSet<T?>? value)
    {
        if (!reader.TryReadCollectionHeader(out var count, WireSize<T>.Minimum))
        {
            value = null;
            return;
        }

        if (value is null)
        {
            value = [];
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
                ThrowHelper.ThrowDuplicate(typeof(SortedSet<T>), offset);
            }
        }
    }
}
