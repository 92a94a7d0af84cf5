namespace Processional.Serialization;

/// <summary>
/// Lists a concrete type that a member typed as this abstract class or interface may hold, with the tag that
/// identifies it on the wire (MemoryPack's union format). Derived types declared in the same compilation are found
/// without this attribute; list the others here, or fix the tags so that they stay stable as types are added.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface, Inherited = false, AllowMultiple = true)]
public sealed class UnionAttribute : Attribute
{
    /// <summary>Declares that <paramref name="type"/> is written with <paramref name="tag"/>.</summary>
    /// <param name="tag">The tag, 0 to 65535, unique within the base type.</param>
    /// <param name="type">A concrete type deriving from, or implementing, the attributed type.</param>
    public UnionAttribute(ushort tag, Type type)
    {
        Tag = tag;
        Type = type;
    }

    /// <summary>The tag written before a value of <see cref="Type"/>.</summary>
    public ushort Tag { get; }

    /// <summary>The concrete type.</summary>
    public Type Type { get; }
}
