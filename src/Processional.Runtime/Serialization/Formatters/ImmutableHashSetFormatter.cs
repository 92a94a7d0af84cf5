using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="ImmutableHashSet{T}"/>: the same bytes as a set. The comparer is not written; elements equal under the
/// default comparer are rejected as corrupted input.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ImmutableHashSetFormatter<T> : ProcessionalFormatter<ImmutableHashSet<T?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static ImmutableHashSetFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ImmutableHashSet<T?>? value)
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
    public override void Deserialize(ref ProcessionalReader reader, scoped ref ImmutableHashSet<T?>? value)
    {
        if (!reader.TryReadCollectionHeader(out var count, WireSize<T>.Minimum))
        {
            value = null;
            return;
        }

        var builder = ImmutableHashSet.CreateBuilder<T?>();
        var formatter = ProcessionalFormatterProvider.GetFormatter<T>();
        for (var i = 0; i < count; i++)
        {
            var offset = reader.Consumed;
            T? element = default;
            reader.ReadElement(formatter, ref element);
            if (!builder.Add(element))
            {
                ThrowHelper.ThrowDuplicate(typeof(ImmutableHashSet<T>), offset);
            }
        }

        value = builder.ToImmutable();
    }
}
