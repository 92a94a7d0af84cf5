using System.Buffers;
using System.Runtime.CompilerServices;

namespace Processional.Serialization.Formatters;

/// <summary>
/// How dictionaries write their entries (MemoryPack: <c>src/MemoryPack.Core/Formatters/KeyValuePairFormatter.cs</c>): a
/// pair without references is the raw <see cref="KeyValuePair{TKey, TValue}"/> struct (so <c>Dictionary&lt;int,int&gt;</c>
/// entries are 8 bytes: key, value); otherwise the key then the value, each with its formatter, no header.
/// </summary>
internal static class KeyValuePairs
{
    /// <summary>The fewest bytes one entry takes.</summary>
    public static int MinimumSize<TKey, TValue>() =>
        RuntimeHelpers.IsReferenceOrContainsReferences<KeyValuePair<TKey, TValue>>()
            ? WireSize<TKey>.Minimum + WireSize<TValue>.Minimum
            : Unsafe.SizeOf<KeyValuePair<TKey, TValue>>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write<TBufferWriter, TKey, TValue>(
        ref ProcessionalWriter<TBufferWriter> writer,
        ProcessionalFormatter<TKey> keyFormatter,
        ProcessionalFormatter<TValue> valueFormatter,
        KeyValuePair<TKey, TValue?> pair)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<KeyValuePair<TKey, TValue>>())
        {
            writer.WriteRaw(pair);
            return;
        }

        var key = pair.Key;
        var value = pair.Value;
        writer.WriteElement(keyFormatter, ref key!);
        writer.WriteElement(valueFormatter, ref value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Read<TKey, TValue>(
        ref ProcessionalReader reader,
        ProcessionalFormatter<TKey> keyFormatter,
        ProcessionalFormatter<TValue> valueFormatter,
        out TKey? key,
        out TValue? value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<KeyValuePair<TKey, TValue>>())
        {
            var pair = reader.ReadRaw<KeyValuePair<TKey, TValue?>>();
            key = pair.Key;
            value = pair.Value;
            return;
        }

        key = default;
        value = default;
        reader.ReadElement(keyFormatter, ref key);
        reader.ReadElement(valueFormatter, ref value);
    }

    /// <summary>Reads the entries of a dictionary into <paramref name="target"/>, rejecting null and duplicate keys.</summary>
    public static void ReadEntries<TKey, TValue, TTarget>(ref ProcessionalReader reader, int count, TTarget target, Type dictionaryType)
        where TKey : notnull
        where TTarget : IDictionary<TKey, TValue?>
    {
        var keyFormatter = ProcessionalFormatterProvider.GetFormatter<TKey>();
        var valueFormatter = ProcessionalFormatterProvider.GetFormatter<TValue>();
        for (var i = 0; i < count; i++)
        {
            var offset = reader.Consumed;
            Read(ref reader, keyFormatter, valueFormatter, out var key, out var value);
            if (key is null)
            {
                ThrowHelper.ThrowNullKey(dictionaryType, offset);
            }

            if (!target.TryAdd(key, value))
            {
                ThrowHelper.ThrowDuplicate(dictionaryType, offset);
            }
        }
    }
}
