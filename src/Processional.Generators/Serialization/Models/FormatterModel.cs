namespace Processional.Generators.Serialization.Models;

/// <summary>
/// One generated file: the formatter (or the registration) of one serializable type. Models hold only strings, enums and
/// <see cref="Helpers.EquatableArray{T}"/>s, so that equal inputs give equal models and the generator's cache holds.
/// </summary>
/// <param name="TypeName">The type's fully qualified name without nullable annotations (<c>global::Shop.Box&lt;int&gt;</c>).</param>
/// <param name="DisplayName">The type's name as messages show it (<c>Shop.Box&lt;int&gt;</c>).</param>
/// <param name="HintName">The generated file's name without extension: namespace, containing types and type arguments.</param>
internal abstract record FormatterModel(string TypeName, string DisplayName, string HintName);
