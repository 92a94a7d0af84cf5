using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="List{T}"/>: the same bytes as an array (MemoryPack: <c>src/MemoryPack.Core/Formatters/CollectionFormatters.cs</c>),
/// one block copy when <typeparamref name="T"/> holds no references. Reading into an existing list clears and refills it.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ListFormatter<T> : ProcessionalFormatter<List<T?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static ListFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref List<T?>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }

        writer.WriteSpan<T>(CollectionsMarshal.AsSpan(value));
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref List<T?>? value)
    {
        var minimumSize = RuntimeHelpers.IsReferenceOrContainsReferences<T>() ? WireSize<T>.Minimum : Unsafe.SizeOf<T>();
        if (!reader.TryReadCollectionHeader(out var length, minimumSize))
        {
            value = null;
            return;
        }

        if (value is null)
        {
            value = new List<T?>(length);
        }
        else
        {
            value.Clear();
        }

        CollectionsMarshal.SetCount(value, length);
        reader.ReadElements<T>(CollectionsMarshal.AsSpan(value));
    }
}
