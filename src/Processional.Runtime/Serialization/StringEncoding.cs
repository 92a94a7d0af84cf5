namespace Processional.Serialization;

/// <summary>How strings are written. Readers accept both, whatever this says.</summary>
public enum StringEncoding
{
    /// <summary>UTF-8 (the default): <c>int32 ~byteCount</c>, <c>int32 charCount</c>, then the UTF-8 bytes.</summary>
    Utf8 = 0,

    /// <summary>UTF-16: <c>int32 charCount</c>, then the UTF-16LE code units. Faster to write, larger for ASCII text.</summary>
    Utf16 = 1,
}
