using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="ImmutableList{T}"/>: the same bytes as a list (MemoryPack:
/// <c>src/MemoryPack.Core/Formatters/ImmutableCollectionFormatters.cs</c>).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ImmutableListFormatter<T> : ProcessionalFormatter<ImmutableList<T?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static ImmutableListFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ImmutableList<T?>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }

        var formatter = ProcessionalFormatterProvider.GetFormatter<T>();
        writer.WriteCollectionHeader(value.Count);
        foreach (var item in value)
        {
            var element = item;
            writer.WriteElement(formatter, ref element);
        }
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref ImmutableList<T?>? value)
    {
        var array = reader.ReadArray<T>();
        value = array is null ? null : ImmutableList.Create(array);
    }
}
