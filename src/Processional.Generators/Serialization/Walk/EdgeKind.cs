namespace Processional.Generators.Serialization.Walk;

/// <summary>How a type reached by the walk is written by whoever holds it.</summary>
internal enum EdgeKind
{
    /// <summary>By generated code (a member of a generated formatter, or an item of a collection it writes itself).</summary>
    Generated,

    /// <summary>Through the formatter registered for the type (a type argument of a framework collection, a union case, a root).</summary>
    Registered,

    /// <summary>As part of the raw bytes of an unmanaged struct: only checked, nothing is generated for it.</summary>
    Embedded,
}
