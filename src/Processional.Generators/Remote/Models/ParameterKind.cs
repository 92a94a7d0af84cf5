namespace Processional.Generators.Remote.Models;

/// <summary>How a parameter of a [Remote] member travels.</summary>
internal enum ParameterKind
{
    /// <summary>A primitive, an enum or an unmanaged user struct: its raw bytes.</summary>
    Unmanaged,

    /// <summary>A string.</summary>
    String,

    /// <summary>A one-dimensional array of an unmanaged type: a length, then one block copy.</summary>
    UnmanagedArray,

    /// <summary>Anything else that is serialized: through the formatter registered for its type.</summary>
    Formatter,

    /// <summary>An object of a [Remote] interface, passed by reference: the receiver gets a proxy.</summary>
    Remote,

    /// <summary>An <c>IProgress&lt;T&gt;</c>: the callee's reports reach the caller's progress.</summary>
    Progress,

    /// <summary>The call's <c>CancellationToken</c>: not sent as an argument; the dispatcher passes the request's token.</summary>
    CancellationToken,
}
