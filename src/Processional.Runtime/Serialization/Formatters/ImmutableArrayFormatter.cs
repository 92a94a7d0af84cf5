using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="ImmutableArray{T}"/>: the same bytes as an array; a default (uninitialized) immutable array is written as
/// null and read back as default (MemoryPack: <c>src/MemoryPack.Core/Formatters/ImmutableCollectionFormatters.cs</c>).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ImmutableArrayFormatter<T> : ProcessionalFormatter<ImmutableArray<T?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static ImmutableArrayFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ImmutableArray<T?> value)
    {
        if (value.IsDefault)
        {
            writer.WriteNullCollectionHeader();
        }
        else
        {
            writer.WriteSpan(value.AsSpan());
        }
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref ImmutableArray<T?> value)
    {
        // The array is new and never escapes, so wrapping it without a copy keeps the immutability promise.
        var array = reader.ReadArray<T>();
        value = array is null ? default : ImmutableCollectionsMarshal.AsImmutableArray(array);
    }
}
