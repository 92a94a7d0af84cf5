namespace Processional.Generators.Serialization.Models;

/// <summary>The kinds of code that write and read a value.</summary>
internal enum ShapeKind
{
    /// <summary>A primitive, an enum or an unmanaged user struct: its raw bytes (<c>WriteUnmanaged</c>/<c>ReadUnmanaged</c>).</summary>
    Unmanaged,

    /// <summary>A string (<c>WriteString</c>/<c>ReadString</c>).</summary>
    String,

    /// <summary>A one-dimensional array of an unmanaged type: a length, then one block copy.</summary>
    UnmanagedArray,

    /// <summary>
    /// Anything else, framework collections included: the formatter registered for the type
    /// (<c>WriteValue</c>/<c>ReadValue</c>), the runtime's for framework types, a generated one for user types.
    /// </summary>
    Formatter,
}
