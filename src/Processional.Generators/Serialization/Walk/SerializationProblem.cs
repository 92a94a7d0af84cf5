namespace Processional.Generators.Serialization.Walk;

/// <summary>Something on the way from a root that cannot be serialized.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Path">The member path from the root, for example <c>Order.Lines[].Product.Stream</c>.</param>
/// <param name="TypeName">The offending type, as messages show it.</param>
/// <param name="Detail">More about what is wrong, for the kinds that say more; empty otherwise.</param>
internal sealed record SerializationProblem(ProblemKind Kind, string Path, string TypeName, string Detail);
