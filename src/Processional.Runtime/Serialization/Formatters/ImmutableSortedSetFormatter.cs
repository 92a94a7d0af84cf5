using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="ImmutableSortedSet{T}"/>: the same bytes as a set, elements in sorted order. The comparer is not
/// written; elements equal under the default comparer are rejected as corrupted input.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ImmutableSortedSetFormatter<T> : ProcessionalFormatter<ImmutableSortedSet<T?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static ImmutableSortedSetFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ImmutableSortedSet<T?>? value)
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
    public override void Deserialize(ref ProcessionalReader reader, scoped ref ImmutableSortedSet<T?>? value)
    {
        if (!reader.TryReadCollectionHeader(out var count, WireSize<T>.Minimum))
        {
            value = null;
            return;
        }

        var builder = ImmutableSortedSet.CreateBuilder<T?>();
        var formatter = ProcessionalFormatterProvider.GetFormatter<T>();
        for (var i = 0; i < count; i++)
        {
            var offset = reader.Consumed;
            T? element = default;
            reader.ReadElement(formatter, ref element);
            if (!builder.Add(element))
            {
                ThrowHelper.ThrowDuplicate(typeof(ImmutableSortedSet<T>), offset);
            }
        }

        value = builder.ToImmutable();
    }
}
