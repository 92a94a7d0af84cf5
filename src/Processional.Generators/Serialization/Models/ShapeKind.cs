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

    /// <summary>Anything else: the formatter registered for the type (<c>WriteValue</c>/<c>ReadValue</c>).</summary>
    Formatter,

    /// <summary>A collection interface (<c>IReadOnlyList&lt;T&gt;</c>...): a length, then the items; read into a new collection.</summary>
    Sequence,

    /// <summary>A dictionary interface: a count, then key/value pairs; read into a new <c>Dictionary</c>.</summary>
    Map,
}
