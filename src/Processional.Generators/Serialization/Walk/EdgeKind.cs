namespace Processional.Generators.Serialization.Walk;

/// <summary>How a type reached by the walk is written by whoever holds it.</summary>
internal enum EdgeKind
{
    /// <summary>As a value of its own (a member, an item, a union case): it needs its formatter.</summary>
    Serialized,

    /// <summary>As part of the raw bytes of an unmanaged struct or array: only checked, nothing is generated for it.</summary>
    Embedded,
}
