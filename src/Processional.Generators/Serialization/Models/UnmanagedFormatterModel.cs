namespace Processional.Generators.Serialization.Models;

/// <summary>
/// An unmanaged user struct or enum: written as its raw bytes by the runtime's <c>UnmanagedFormatter&lt;T&gt;</c>, which the
/// generated code registers so that it also works where the runtime cannot create it by reflection (Native AOT).
/// </summary>
/// <param name="TypeName">See <see cref="FormatterModel"/>.</param>
/// <param name="DisplayName">See <see cref="FormatterModel"/>.</param>
/// <param name="HintName">See <see cref="FormatterModel"/>.</param>
/// <param name="ShortName">The type's simple name, to name the registration class.</param>
internal sealed record UnmanagedFormatterModel(string TypeName, string DisplayName, string HintName, string ShortName)
    : FormatterModel(TypeName, DisplayName, HintName);
