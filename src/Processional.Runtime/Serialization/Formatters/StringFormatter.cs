using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>Strings, in the encoding the options ask for; both encodings are read.</summary>
public sealed class StringFormatter : ProcessionalFormatter<string>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static StringFormatter Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref string? value) =>
        writer.WriteString(value);

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref string? value) =>
        value = reader.ReadString();
}
