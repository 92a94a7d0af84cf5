using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="Dictionary{TKey, TValue}"/>: the entry count (<c>-1</c> for null), then each key and value (MemoryPack:
/// <c>src/MemoryPack.Core/Formatters/CollectionFormatters.cs</c>). The comparer is not written: the dictionary is read
/// back with the default comparer (or keeps the comparer of the instance it is read into). Null and duplicate keys in
/// the input are rejected.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
public sealed class DictionaryFormatter<TKey, TValue> : ProcessionalFormatter<Dictionary<TKey, TValue?>>
    where TKey : notnull
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static DictionaryFormatter<TKey, TValue> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Dictionary<TKey, TValue?>? value)
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
    public override void Deserialize(ref ProcessionalReader reader, scoped ref Dictionary<TKey, TValue?>? value)
    {
        if (!reader.TryReadCollectionHeader(out var count, KeyValuePairs.MinimumSize<TKey, TValue>()))
        {
            value = null;
            return;
        }

        if (value is null)
        {
            value = new Dictionary<TKey, TValue?>(count);
        }
        else
        {
            value.Clear();
        }

        KeyValuePairs.ReadEntries<TKey, TValue, Dictionary<TKey, TValue?>>(ref reader, count, value, typeof(Dictionary<TKey, TValue>));
    }
}
