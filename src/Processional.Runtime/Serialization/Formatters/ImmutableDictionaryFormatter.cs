using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="ImmutableDictionary{TKey, TValue}"/>: the same bytes as a dictionary. The comparers are not written; null
/// and duplicate keys in the input are rejected.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
public sealed class ImmutableDictionaryFormatter<TKey, TValue> : ProcessionalFormatter<ImmutableDictionary<TKey, TValue?>>
    where TKey : notnull
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static ImmutableDictionaryFormatter<TKey, TValue> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ImmutableDictionary<TKey, TValue?>? value)
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
    public override void Deserialize(ref ProcessionalReader reader, scoped ref ImmutableDictionary<TKey, TValue?>? value)
    {
        if (!reader.TryReadCollectionHeader(out var count, KeyValuePairs.MinimumSize<TKey, TValue>()))
        {
            value = null;
            return;
        }

        var builder = ImmutableDictionary.CreateBuilder<TKey, TValue?>();
        KeyValuePairs.ReadEntries<TKey, TValue, ImmutableDictionary<TKey, TValue?>.Builder>(ref reader, count, builder, typeof(ImmutableDictionary<TKey, TValue>));
        value = builder.ToImmutable();
    }
}
