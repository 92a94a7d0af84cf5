using System.Runtime.CompilerServices;

namespace Processional.Serialization.Formatters;

/// <summary>Creates the formatter of a built-in type on first use.</summary>
internal static class BuiltInFormatters
{
    public static ProcessionalFormatter<T>? Create<T>()
    {
        var type = typeof(T);
        if (type == typeof(string))
        {
            return (ProcessionalFormatter<T>)(object)StringFormatter.Instance;
        }

        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            // Primitives, enums, and structs without references: their raw bytes, no header (MemoryPack's rule).
            return UnmanagedFormatterFactory.Create<T>();
        }

        return null;
    }
}
