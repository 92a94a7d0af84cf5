using Processional.Generators.Helpers;

namespace Processional.Generators.Serialization.Models;

/// <summary>An interface or abstract class written as a MemoryPack union: a tag, then the concrete value.</summary>
/// <param name="TypeName">See <see cref="FormatterModel"/>.</param>
/// <param name="DisplayName">See <see cref="FormatterModel"/>.</param>
/// <param name="HintName">See <see cref="FormatterModel"/>.</param>
/// <param name="ShortName">The type's simple name, to name the formatter class.</param>
/// <param name="Cases">The concrete types and their tags, by tag.</param>
internal sealed record UnionFormatterModel(
    string TypeName,
    string DisplayName,
    string HintName,
    string ShortName,
    EquatableArray<UnionCaseModel> Cases)
    : FormatterModel(TypeName, DisplayName, HintName);
