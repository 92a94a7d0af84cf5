using Processional.Generators.Helpers;

namespace Processional.Generators.Serialization.Models;

/// <summary>A class, struct or record written as a MemoryPack object: a member count, then the members in order.</summary>
/// <param name="TypeName">See <see cref="FormatterModel"/>.</param>
/// <param name="DisplayName">See <see cref="FormatterModel"/>.</param>
/// <param name="HintName">See <see cref="FormatterModel"/>.</param>
/// <param name="ShortName">The type's simple name, to name the formatter class.</param>
/// <param name="IsValueType">A struct (never null on the wire) rather than a class.</param>
/// <param name="IsVersionTolerant">Marked <c>[VersionTolerant]</c>: every member is preceded by its length.</param>
/// <param name="Members">The serialized members, in wire order.</param>
/// <param name="Construction">How a read value is created.</param>
internal sealed record ObjectFormatterModel(
    string TypeName,
    string DisplayName,
    string HintName,
    string ShortName,
    bool IsValueType,
    bool IsVersionTolerant,
    EquatableArray<MemberModel> Members,
    ConstructionModel Construction)
    : FormatterModel(TypeName, DisplayName, HintName);
