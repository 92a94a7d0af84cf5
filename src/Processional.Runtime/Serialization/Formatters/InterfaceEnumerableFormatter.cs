using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="IEnumerable{T}"/>: whatever implements it is written as a collection (count, then elements; the same bytes as an
/// array), and read back as a <see cref="List{T}"/>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class InterfaceEnumerableFormatter<T> : ProcessionalFormatter<IEnumerable<T?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static InterfaceEnumerableFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref IEnumerable<T?>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }

        InterfaceCollections.WriteEnumerable<TBufferWriter, T>(ref writer, value);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref IEnumerable<T?>? value)
    {
        List<T?>? read = null;
        ListFormatter<T>.Instance.Deserialize(ref reader, ref read);
        value = read;
    }
}
