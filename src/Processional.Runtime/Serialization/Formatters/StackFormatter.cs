using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="Stack{T}"/>: the element count (<c>-1</c> for null), then the elements from the bottom to the top — the
/// order they were pushed in, the reverse of enumeration — so that pushing them in wire order rebuilds the same stack.
/// This is MemoryPack's order (<c>src/MemoryPack.Core/Formatters/CollectionFormatters.cs</c> writes the stack's internal
/// array, bottom first).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class StackFormatter<T> : ProcessionalFormatter<Stack<T?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static StackFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Stack<T?>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }

        // CopyTo gives top first; a pooled copy reversed in place gives bottom first without allocating.
        var count = value.Count;
        var buffer = ArrayPool<T?>.Shared.Rent(count);
        try
        {
            value.CopyTo(buffer, 0);
            var elements = buffer.AsSpan(0, count);
            elements.Reverse();
            writer.WriteSpan<T>(elements);
        }
        finally
        {
            ArrayPool<T?>.Shared.Return(buffer, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        }
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref Stack<T?>? value)
    {
        var bottomFirst = reader.ReadArray<T>();
        value = bottomFirst is null ? null : new Stack<T?>(bottomFirst);
    }
}
