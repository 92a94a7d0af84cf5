using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="ReadOnlyMemory{T}"/>: the same bytes as an array of its elements (a default memory is written as empty,
/// and a null header reads as default). MemoryPack: <c>src/MemoryPack.Core/Formatters/ArrayFormatters.cs</c>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ReadOnlyMemoryFormatter<T> : ProcessionalFormatter<ReadOnlyMemory<T?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static ReadOnlyMemoryFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ReadOnlyMemory<T?> value) =>
        writer.WriteSpan(value.Span);

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref ReadOnlyMemory<T?> value) =>
        value = reader.ReadArray<T>();
}
