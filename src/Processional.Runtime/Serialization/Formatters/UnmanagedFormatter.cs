using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>An unmanaged type (a primitive, an enum, a struct without references): its raw bytes, no header.</summary>
/// <typeparam name="T">An unmanaged type.</typeparam>
public sealed class UnmanagedFormatter<T> : ProcessionalFormatter<T>, IRawFormatter
    where T : unmanaged
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static UnmanagedFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref T value) =>
        writer.WriteUnmanaged(value);

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref T value) =>
        value = reader.ReadUnmanaged<T>();
}
