namespace Processional.Generators.Lambdas.Models;

/// <summary>A variable a lambda captures, in the order its captures are written.</summary>
/// <param name="Name">The variable's name as the runtime finds it in the closure (<c>this</c> for the enclosing instance).</param>
/// <param name="TypeName">Its type, fully qualified with every nullable annotation (<c>global::System.String?</c>).</param>
/// <param name="Kind">How it travels.</param>
/// <param name="ValueTypeName">
/// The type argument of the reading and writing calls: the value type for <see cref="CaptureKind.Unmanaged"/> and
/// <see cref="CaptureKind.Formatter"/>, the element type for <see cref="CaptureKind.UnmanagedArray"/>, <c>T</c> of
/// <c>Remote&lt;T&gt;</c> for <see cref="CaptureKind.Handle"/>, the interface for <see cref="CaptureKind.Remote"/>.
/// </param>
/// <param name="IsValueType">The variable's type is a value type.</param>
internal sealed record CaptureModel(string Name, string TypeName, CaptureKind Kind, string ValueTypeName, bool IsValueType);
