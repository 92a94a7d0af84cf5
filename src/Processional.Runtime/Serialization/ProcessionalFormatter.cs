using System.Buffers;

namespace Processional.Serialization;

/// <summary>
/// Writes and reads values of type <typeparamref name="T"/> in MemoryPack's wire format. The built-in formatters
/// cover the primitives and the common BCL types; the source generator writes one for every user type that crosses a
/// process boundary and registers it with <see cref="ProcessionalFormatterProvider"/>.
/// </summary>
/// <typeparam name="T">The type of value.</typeparam>
public abstract class ProcessionalFormatter<T>
{
    /// <summary>Writes <paramref name="value"/>.</summary>
    /// <typeparam name="TBufferWriter">The buffer writer the writer writes into.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The value, which may be <see langword="null"/>.</param>
    public abstract void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref T? value)
        where TBufferWriter : IBufferWriter<byte>;

    /// <summary>Reads a value into <paramref name="value"/>, which a formatter may reuse when it is not <see langword="null"/>.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="value">Receives the value read.</param>
    /// <exception cref="ProcessionalSerializationException">The input is truncated, corrupted or over a limit.</exception>
    public abstract void Deserialize(ref ProcessionalReader reader, scoped ref T? value);
}
