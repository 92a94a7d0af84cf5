using System.Buffers;

namespace Processional.Serialization.Formatters;

/// <summary>Strings, in the encoding the options ask for; both encodings are read.</summary>
internal sealed class StringFormatter : ProcessionalFormatter<string>
{
    public static readonly StringFormatter Instance = new();

    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref string? value) =>
        writer.WriteString(value);

    public override void Deserialize(ref ProcessionalReader reader, scoped ref string? value) =>
        value = reader.ReadString();
}
