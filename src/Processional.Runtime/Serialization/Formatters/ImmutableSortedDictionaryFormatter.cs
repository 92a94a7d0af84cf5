using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="ImmutableSortedDictionary{TKey, TValue}"/>: the same bytes as a dictionary, entries in key order. The
/// comparers are not written; null and duplicate keys in the input are rejected.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
public sealed class ImmutableSortedDictionaryFormatter<TKey, TValue> : ProcessionalFormatter<ImmutableSortedDictionary<TKey, TValue?>>
    where TKey : notnull
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static ImmutableSortedDictionaryFormatter<TKey, TValue> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ImmutableSortedDictionary<TKey, TValue?>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }

        var keyFormatter = ProcessionalFormatterProvider.GetFormatter<TKey>();
        var valueFormatter = ProcessionalFormatterProvider.GetFormatter<TValue>();
        writer.WriteCollectionHeader(value.Count);
        foreach (var pair in value)
        {
            KeyValuePairs.Write(ref writer, keyFormatter, valueFormatter, pair);
        }
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref ImmutableSortedDictionary<TKey, TValue?>? value)
    {
        if (!reader.TryReadCollectionHeader(out var count, KeyValuePairs.MinimumSize<TKey, TValue>()))
        {
            value = null;
            return;
        }

        var builder = ImmutableSortedDictionary.CreateBuilder<TKey, TValue?>();
        KeyValuePairs.ReadEntries<TKey, TValue, ImmutableSortedDictionary<TKey, TValue?>.Builder>(ref reader, count, builder, typeof(ImmutableSortedDictionary<TKey, TValue>));
        value = builder.ToImmutable();
    }
}
