namespace Processional.Generators.Remote.Models;

/// <summary>A parameter of a [Remote] member.</summary>
/// <param name="Name">The name as C# code writes it (keywords escaped with <c>@</c>).</param>
/// <param name="TypeName">The declared type, fully qualified with its nullable annotations, for the proxy's signature.</param>
/// <param name="Kind">How the argument travels.</param>
/// <param name="ValueTypeName">
/// The type argument of the reading and writing calls: the value type for <see cref="ParameterKind.Unmanaged"/> and
/// <see cref="ParameterKind.Formatter"/>, the element type for <see cref="ParameterKind.UnmanagedArray"/>, the interface
/// for <see cref="ParameterKind.Remote"/>, <c>T</c> for <see cref="ParameterKind.Progress"/>; empty otherwise.
/// </param>
/// <param name="NeedsNullForgiving">The value read may be null for the reader's signature, but the parameter is not nullable.</param>
/// <param name="IsParams">Declared <c>params</c>.</param>
internal sealed record RemoteParameterModel(
    string Name,
    string TypeName,
    ParameterKind Kind,
    string ValueTypeName,
    bool NeedsNullForgiving,
    bool IsParams);
