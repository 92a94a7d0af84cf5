using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Processional.Serialization.Formatters;

/// <summary>
/// The writing side of the collection-interface formatters: whatever implements the interface is written as a
/// collection (count, then elements), so an <c>IList&lt;int&gt;</c> holding an array has the same bytes as the array
/// (MemoryPack: <c>src/MemoryPack.Core/Formatters/InterfaceCollectionFormatters.cs</c>).
/// </summary>
internal static class InterfaceCollections
{
    /// <summary>Writes elements whose count is known; a count that does not match the elements is reported.</summary>
    public static void WriteCounted<TBufferWriter, T>(ref ProcessionalWriter<TBufferWriter> writer, IEnumerable<T?> items, int count, Type type)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (items is T?[] array)
        {
            writer.WriteSpan(new ReadOnlySpan<T?>(array));
            return;
        }

        if (items is List<T?> list)
        {
            writer.WriteSpan<T>(CollectionsMarshal.AsSpan(list));
            return;
        }

        var formatter = ProcessionalFormatterProvider.GetFormatter<T>();
        writer.WriteCollectionHeader(count);
        var written = 0;
        foreach (var item in items)
        {
            if (written == count)
            {
                ThrowHelper.ThrowCollectionChanged(type);
            }

            var element = item;
            writer.WriteElement(formatter, ref element);
            written++;
        }

        if (written != count)
        {
            ThrowHelper.ThrowCollectionChanged(type);
        }
    }

    /// <summary>
    /// Writes a sequence. When its count is not known without enumerating, it is enumerated once into a pooled buffer
    /// (a lazy sequence may not be enumerable twice, or may differ the second time).
    /// </summary>
    public static void WriteEnumerable<TBufferWriter, T>(ref ProcessionalWriter<TBufferWriter> writer, IEnumerable<T?> items)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (items.TryGetNonEnumeratedCount(out var count))
        {
            WriteCounted<TBufferWriter, T>(ref writer, items, count, typeof(IEnumerable<T>));
            return;
        }

        var buffer = ArrayPool<T?>.Shared.Rent(16);
        count = 0;
        try
        {
            foreach (var item in items)
            {
                if (count == buffer.Length)
                {
                    var larger = ArrayPool<T?>.Shared.Rent(count * 2);
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<T?>.Shared.Return(buffer, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
                    buffer = larger;
                }

                buffer[count++] = item;
            }

            writer.WriteSpan<T>(buffer.AsSpan(0, count));
        }
        finally
        {
            ArrayPool<T?>.Shared.Return(buffer, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        }
    }

    /// <summary>Writes the entries of a dictionary whose count is known, like <see cref="DictionaryFormatter{TKey, TValue}"/>.</summary>
    public static void WriteEntries<TBufferWriter, TKey, TValue>(ref ProcessionalWriter<TBufferWriter> writer, IEnumerable<KeyValuePair<TKey, TValue?>> entries, int count, Type type)
        where TBufferWriter : IBufferWriter<byte>
    {
        var keyFormatter = ProcessionalFormatterProvider.GetFormatter<TKey>();
        var valueFormatter = ProcessionalFormatterProvider.GetFormatter<TValue>();
        writer.WriteCollectionHeader(count);
        var written = 0;
        foreach (var pair in entries)
        {
            if (written == count)
            {
                ThrowHelper.ThrowCollectionChanged(type);
            }

            KeyValuePairs.Write(ref writer, keyFormatter, valueFormatter, pair);
            written++;
        }

        if (written != count)
        {
            ThrowHelper.ThrowCollectionChanged(type);
        }
    }
}
