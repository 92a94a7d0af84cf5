using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="ArraySegment{T}"/>: the same bytes as an array of the segment's elements (a default segment is written as
/// empty, and a null header reads as default). MemoryPack: <c>src/MemoryPack.Core/Formatters/ArrayFormatters.cs</c>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ArraySegmentFormatter<T> : ProcessionalFormatter<ArraySegment<T?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static ArraySegmentFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ArraySegment<T?> value) =>
        writer.WriteSpan<T>(value.AsSpan());

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref ArraySegment<T?> value)
    {
        var array = reader.ReadArray<T>();
        value = array is null ? default : new ArraySegment<T?>(array);
    }
}
