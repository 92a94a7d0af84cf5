namespace Processional.Generators.Serialization.Models;

/// <summary>A constructor argument: the local that holds a member's value, passed to the parameter of the same name.</summary>
/// <param name="ParameterName">The parameter's name as C# code writes it.</param>
/// <param name="LocalName">The local passed.</param>
/// <param name="IsValueType">The value is a value type (so no null-forgiving <c>!</c>).</param>
internal sealed record ArgumentModel(string ParameterName, string LocalName, bool IsValueType);
