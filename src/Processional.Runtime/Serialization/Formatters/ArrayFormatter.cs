using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <c>T[]</c>: a collection header (<c>-1</c> for null), then the elements; when <typeparamref name="T"/> holds no
/// references (primitives, enums, user unmanaged structs), all their bytes in one block copy.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ArrayFormatter<T> : ProcessionalFormatter<T?[]>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static ArrayFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref T?[]? value) =>
        writer.WriteArray(value);

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref T?[]? value) =>
        reader.ReadArray(ref value);
}
