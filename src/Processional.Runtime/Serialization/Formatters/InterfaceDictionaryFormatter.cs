using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="IDictionary{TKey, TValue}"/>: whatever implements it is written like a dictionary (count, then each key and
/// value), and read back as a <see cref="Dictionary{TKey, TValue}"/> with the default comparer.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
public sealed class InterfaceDictionaryFormatter<TKey, TValue> : ProcessionalFormatter<IDictionary<TKey, TValue?>>
    where TKey : notnull
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static InterfaceDictionaryFormatter<TKey, TValue> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref IDictionary<TKey, TValue?>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }

        InterfaceCollections.WriteEntries<TBufferWriter, TKey, TValue>(ref writer, value, value.Count, typeof(IDictionary<TKey, TValue>));
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref IDictionary<TKey, TValue?>? value)
    {
        Dictionary<TKey, TValue?>? read = null;
        DictionaryFormatter<TKey, TValue>.Instance.Deserialize(ref reader, ref read);
        value = read;
    }
}
