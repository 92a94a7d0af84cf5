using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>An array of an unmanaged type: a collection header, then every element's bytes in one block copy.</summary>
/// <typeparam name="T">An unmanaged type.</typeparam>
public sealed class UnmanagedArrayFormatter<T> : ProcessionalFormatter<T[]>
    where T : unmanaged
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static UnmanagedArrayFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref T[]? value) =>
        writer.WriteUnmanagedArray(value);

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref T[]? value) =>
        value = reader.ReadUnmanagedArray<T>();
}
