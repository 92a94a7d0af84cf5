using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="SortedDictionary{TKey, TValue}"/>: the same bytes as a dictionary, entries in key order. The comparer is
/// not written: it is read back with the default comparer. Null and duplicate keys in the input are rejected.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
public sealed class SortedDictionaryFormatter<TKey, TValue> : ProcessionalFormatter<SortedDictionary<TKey, TValue?>>
    where TKey : notnull
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static SortedDictionaryFormatter<TKey, TValue> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref SortedDictionary<TKey, TValue?>? value)
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
    public override void Deserialize(ref ProcessionalReader reader, scoped ref SortedDictionary<TKey, TValue?>? value)
    {
        if (!reader.TryReadCollectionHeader(out var count, KeyValuePairs.MinimumSize<TKey, TValue>()))
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

        KeyValuePairs.ReadEntries<TKey, TValue, SortedDictionary<TKey, TValue?>>(ref reader, count, value, typeof(SortedDictionary<TKey, TValue>));
    }
}
