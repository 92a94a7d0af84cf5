namespace Processional.Generators.Lambdas.Models;

/// <summary>How a captured variable travels.</summary>
internal enum CaptureKind
{
    /// <summary>A primitive, an enum or an unmanaged user struct: its raw bytes.</summary>
    Unmanaged,

    /// <summary>A string.</summary>
    String,

    /// <summary>A one-dimensional array of an unmanaged type: a length, then one block copy.</summary>
    UnmanagedArray,

    /// <summary>Anything else sent by value: through the formatter registered for its type.</summary>
    Formatter,

    /// <summary>A <c>Remote&lt;T&gt;</c>: a handle, which becomes the live object in the process that owns it.</summary>
    Handle,

    /// <summary>An object of a [Remote] interface: by reference (the receiver gets a proxy).</summary>
    Remote,
}
