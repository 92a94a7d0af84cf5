using Processional.Generators.Helpers;

namespace Processional.Generators.Serialization.Models;

/// <summary>How generated code writes and reads one value.</summary>
/// <param name="Kind">The kind of code.</param>
/// <param name="TypeName">The value's fully qualified type, with the nullable annotations of its type arguments as declared.</param>
/// <param name="IsValueType">The type is a value type (so a read value needs no null-forgiving <c>!</c>).</param>
/// <param name="Items">Item shapes: the element of a sequence, the key and value of a map; empty otherwise.</param>
/// <param name="ConcreteTypeName">For a sequence or map read into a new collection, that collection's type.</param>
internal sealed record ValueShape(
    ShapeKind Kind,
    string TypeName,
    bool IsValueType,
    EquatableArray<ValueShape> Items,
    string? ConcreteTypeName);
