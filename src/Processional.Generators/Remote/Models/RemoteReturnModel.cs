namespace Processional.Generators.Remote.Models;

/// <summary>What a [Remote] member returns.</summary>
/// <param name="Kind">The kind of return.</param>
/// <param name="TypeName">The declared return type, fully qualified with its nullable annotations (<c>void</c> for none).</param>
/// <param name="ValueTypeName">
/// The value's type (<c>T</c> of <c>Task&lt;T&gt;</c>, <c>ValueTask&lt;T&gt;</c>, <c>IAsyncEnumerable&lt;T&gt;</c>, or the
/// plain return type), with its nullable annotations; empty when there is no value.
/// </param>
/// <param name="IsRemote">The value is an object of a [Remote] interface, returned by reference (a proxy).</param>
/// <param name="RemoteTypeName">For <paramref name="IsRemote"/>, the interface without annotation; empty otherwise.</param>
/// <param name="NeedsNullForgiving">A remote value that the runtime types as nullable, for a non-nullable declared type.</param>
internal sealed record RemoteReturnModel(
    ReturnKind Kind,
    string TypeName,
    string ValueTypeName,
    bool IsRemote,
    string RemoteTypeName,
    bool NeedsNullForgiving);
