using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="KeyValuePair{TKey, TValue}"/>: the raw struct when it holds no references, else the key then the value,
/// no header (MemoryPack: <c>src/MemoryPack.Core/Formatters/KeyValuePairFormatter.cs</c>).
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
public sealed class KeyValuePairFormatter<TKey, TValue> : ProcessionalFormatter<KeyValuePair<TKey?, TValue?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static KeyValuePairFormatter<TKey, TValue> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref KeyValuePair<TKey?, TValue?> value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<KeyValuePair<TKey?, TValue?>>())
        {
            writer.WriteRaw(value);
            return;
        }

        writer.WriteValue(value.Key);
        writer.WriteValue(value.Value);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref KeyValuePair<TKey?, TValue?> value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<KeyValuePair<TKey?, TValue?>>())
        {
            value = reader.ReadRaw<KeyValuePair<TKey?, TValue?>>();
            return;
        }

        var key = reader.ReadValue<TKey>();
        var item = reader.ReadValue<TValue>();
        value = new KeyValuePair<TKey?, TValue?>(key, item);
    }
}
