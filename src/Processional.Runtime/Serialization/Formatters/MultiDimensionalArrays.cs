using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Processional.Serialization.Formatters;

/// <summary>
/// The shared work of the 2-, 3- and 4-dimensional array formatters. Layout (MemoryPack:
/// <c>src/MemoryPack.Core/Formatters/MultiDimensionalArrayFormatters.cs</c>): object header <c>rank + 1</c> (or
/// <c>255</c> for null), each dimension's length as an <see cref="int"/>, then the elements in row-major order as a
/// collection (total length, then the elements; one block copy when they hold no references). Lower bounds are not
/// written: arrays are read back zero-based.
/// </summary>
internal static class MultiDimensionalArrays
{
    public static void Write<TBufferWriter, T>(ref ProcessionalWriter<TBufferWriter> writer, Array? array)
        where TBufferWriter : System.Buffers.IBufferWriter<byte>
    {
        if (array is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader((byte)(array.Rank + 1));
        for (var dimension = 0; dimension < array.Rank; dimension++)
        {
            writer.WriteUnmanaged(array.GetLength(dimension));
        }

        writer.WriteSpan<T>(Elements<T>(array));
    }

    /// <summary>
    /// Reads the shape: returns <see langword="false"/> for null. Every length is checked, their product is computed
    /// without overflow and must equal the element count that follows, which is checked against the bytes remaining.
    /// </summary>
    public static bool TryReadShape<T>(ref ProcessionalReader reader, Type arrayType, scoped Span<int> lengths)
    {
        var offset = reader.Consumed;
        if (!reader.TryReadObjectHeader(out var members))
        {
            return false;
        }

        if (members != lengths.Length + 1)
        {
            ThrowHelper.ThrowMemberCount(arrayType, lengths.Length + 1, members, offset);
        }

        long product = 1;
        for (var dimension = 0; dimension < lengths.Length; dimension++)
        {
            var lengthOffset = reader.Consumed;
            var length = reader.ReadUnmanaged<int>();
            if (length < 0 || length > Array.MaxLength)
            {
                ThrowHelper.ThrowInvalid($"Dimension {dimension} of {arrayType} has length {length}", lengthOffset);
            }

            lengths[dimension] = length;

            // Each factor is at most 2^31, so capping the running product at Array.MaxLength keeps it from overflowing.
            product *= length;
            if (product > Array.MaxLength)
            {
                ThrowHelper.ThrowInvalid($"The dimensions of {arrayType} hold more than {Array.MaxLength} elements", lengthOffset);
            }
        }

        var countOffset = reader.Consumed;
        var minimumSize = RuntimeHelpers.IsReferenceOrContainsReferences<T>() ? WireSize<T>.Minimum : Unsafe.SizeOf<T>();
        if (!reader.TryReadCollectionHeader(out var count, minimumSize))
        {
            ThrowHelper.ThrowInvalid($"The elements of {arrayType} are null", countOffset);
        }

        if (count != product)
        {
            ThrowHelper.ThrowInvalid($"{arrayType} has {product} elements by its dimensions, but {count} by its element count", countOffset);
        }

        return true;
    }

    /// <summary>The elements of any array as one span, in row-major order.</summary>
    public static Span<T> Elements<T>(Array array) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(array)), array.Length);
}
