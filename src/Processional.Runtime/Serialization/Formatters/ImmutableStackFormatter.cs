using System.Buffers;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="ImmutableStack{T}"/>: the element count (<c>-1</c> for null), then the elements from the bottom to the top
/// (the reverse of enumeration), like <see cref="StackFormatter{T}"/> and MemoryPack
/// (<c>src/MemoryPack.Core/Formatters/ImmutableCollectionFormatters.cs</c>).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ImmutableStackFormatter<T> : ProcessionalFormatter<ImmutableStack<T?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static ImmutableStackFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ImmutableStack<T?>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }

        // Enumeration gives top first and there is no count: gather into a pooled buffer, then write it reversed.
        var buffer = ArrayPool<T?>.Shared.Rent(16);
        var count = 0;
        try
        {
            foreach (var item in value)
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
    public override void Deserialize(ref ProcessionalReader reader, scoped ref ImmutableStack<T?>? value)
    {
        var bottomFirst = reader.ReadArray<T>();
        value = bottomFirst is null ? null : ImmutableStack.Create(bottomFirst);
    }
}
