using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="Memory{T}"/>: the same bytes as an array of its elements (a default memory is written as empty, and a
/// null header reads as default). MemoryPack: <c>src/MemoryPack.Core/Formatters/ArrayFormatters.cs</c>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class MemoryFormatter<T> : ProcessionalFormatter<Memory<T?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static MemoryFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Memory<T?> value) =>
        writer.WriteSpan<T>(value.Span);

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref Memory<T?> value) =>
        value = reader.ReadArray<T>();
}
