using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="IList{T}"/>: whatever implements it is written as a collection (count, then elements; the same bytes as an
/// array), and read back as a <see cref="List{T}"/>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class InterfaceListFormatter<T> : ProcessionalFormatter<IList<T?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static InterfaceListFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref IList<T?>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }

        InterfaceCollections.WriteCounted<TBufferWriter, T>(ref writer, value, value.Count, typeof(IList<T>));
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref IList<T?>? value)
    {
        List<T?>? read = null;
        ListFormatter<T>.Instance.Deserialize(ref reader, ref read);
        value = read;
    }
}
