namespace Processional.Serialization;

/// <summary>
/// Writes the type in MemoryPack's version-tolerant object mode: each member is preceded by its length, so that a
/// reader built from an older or newer version of the type skips members it does not know and fills the ones it
/// misses with defaults. Members may then only be added at the end, never removed or reordered.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class VersionTolerantAttribute : Attribute
{
}
