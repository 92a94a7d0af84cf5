using Processional.Generators.Helpers;
using Processional.Generators.Serialization.Models;

namespace Processional.Generators.Serialization.Walk;

/// <summary>What the walk found from one root.</summary>
/// <param name="Formatters">The formatters to generate for the types reached (only those without problems), by hint name.</param>
/// <param name="Problems">What cannot be serialized, in the order the walk met it.</param>
internal sealed record TypeGraph(EquatableArray<FormatterModel> Formatters, EquatableArray<SerializationProblem> Problems);
