namespace Processional.Generators.Serialization.Models;

/// <summary>One concrete type of a union.</summary>
/// <param name="Tag">The tag written before its values.</param>
/// <param name="TypeName">Its fully qualified name without nullable annotations.</param>
internal sealed record UnionCaseModel(ushort Tag, string TypeName);
