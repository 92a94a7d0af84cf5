using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="Uri"/>: its <see cref="Uri.OriginalString"/> as a string, read back as a relative-or-absolute URI
/// (MemoryPack: <c>src/MemoryPack.Core/Formatters/UriFormatter.cs</c>). A string that is not a URI is rejected.
/// </summary>
public sealed class UriFormatter : ProcessionalFormatter<Uri>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static UriFormatter Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Uri? value) =>
        writer.WriteString(value?.OriginalString);

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref Uri? value)
    {
        var offset = reader.Consumed;
        var text = reader.ReadString();
        if (text is null)
        {
            value = null;
            return;
        }

        if (!Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out value))
        {
            ThrowHelper.ThrowInvalidValue(typeof(Uri), $"\"{Truncate(text)}\" is not a URI", offset);
        }
    }

    private static string Truncate(string text) => text.Length <= 100 ? text : string.Concat(text.AsSpan(0, 100), "...");
}
