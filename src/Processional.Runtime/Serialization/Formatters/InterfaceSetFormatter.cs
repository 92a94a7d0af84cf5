using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="ISet{T}"/>: whatever implements it is written as a collection (count, then elements; the same bytes as an
/// array), and read back as a <see cref="HashSet{T}"/>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class InterfaceSetFormatter<T> : ProcessionalFormatter<ISet<T?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static InterfaceSetFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ISet<T?>? value)
    {
        if (value is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }

        InterfaceCollections.WriteCounted<TBufferWriter, T>(ref writer, value, value.Count, typeof(ISet<T>));
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref ISet<T?>? value)
    {
        HashSet<T?>? read = null;
        HashSetFormatter<T>.Instance.Deserialize(ref reader, ref read);
        value = read;
    }
}
