using Processional.Generators.Helpers;

namespace Processional.Generators.Serialization.Models;

/// <summary>How a read value is created: <c>new T(arguments) { initializers }</c>.</summary>
/// <param name="Arguments">The constructor's arguments, passed by name (unmatched optional parameters are left out).</param>
/// <param name="DefaultedRequiredMembers">Required members that are not serialized, set to <c>default!</c> in the initializer.</param>
internal sealed record ConstructionModel(
    EquatableArray<ArgumentModel> Arguments,
    EquatableArray<string> DefaultedRequiredMembers);
