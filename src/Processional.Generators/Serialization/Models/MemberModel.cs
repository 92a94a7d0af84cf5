namespace Processional.Generators.Serialization.Models;

/// <summary>A serialized field or property.</summary>
/// <param name="Name">The member's name as C# code writes it (keywords escaped with <c>@</c>).</param>
/// <param name="LocalName">The local that holds the member's value while an instance is read.</param>
/// <param name="Shape">How the value is written and read.</param>
/// <param name="ParameterName">The constructor parameter that receives the value, or <see langword="null"/>.</param>
/// <param name="InInitializer">Set in the object initializer (settable or init-only members the constructor does not take, and required members).</param>
/// <param name="PopulateItemTypeName">
/// For a get-only collection property that no constructor parameter sets: the item type of the
/// <c>ICollection&lt;T&gt;</c> that the items read are added to; otherwise <see langword="null"/>.
/// </param>
internal sealed record MemberModel(
    string Name,
    string LocalName,
    ValueShape Shape,
    string? ParameterName,
    bool InInitializer,
    string? PopulateItemTypeName);
