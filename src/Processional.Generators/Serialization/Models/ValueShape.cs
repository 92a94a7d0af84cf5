namespace Processional.Generators.Serialization.Models;

/// <summary>How generated code writes and reads one value.</summary>
/// <param name="Kind">The kind of code.</param>
/// <param name="TypeName">The value's fully qualified type, with the nullable annotations of its type arguments as declared.</param>
/// <param name="IsValueType">The type is a value type (so a read value needs no null-forgiving <c>!</c>).</param>
/// <param name="ElementTypeName">For an array of an unmanaged type, the element type; otherwise <see langword="null"/>.</param>
internal sealed record ValueShape(ShapeKind Kind, string TypeName, bool IsValueType, string? ElementTypeName);
