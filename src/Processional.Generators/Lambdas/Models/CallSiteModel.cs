using Processional.Generators.Helpers;

namespace Processional.Generators.Lambdas.Models;

/// <summary>An intercepted call: the interceptor and the lambdas it ships (one for SlaveProcess methods; one per lambda argument for [Remote] parameters).</summary>
/// <param name="FilePath">The path of the source file, which groups call sites into generated files.</param>
/// <param name="Position">The call's position in the file, which orders the call sites of a file.</param>
/// <param name="LocationVersion">The <c>InterceptableLocation</c>'s version.</param>
/// <param name="LocationData">The <c>InterceptableLocation</c>'s data.</param>
/// <param name="LocationDisplay">Where the call is, for a comment (<c>Program.cs(12,9)</c>).</param>
/// <param name="Kind">What the call does with its lambda.</param>
/// <param name="MethodName">The intercepted method's name (<c>Invoke</c>, <c>Submit</c>).</param>
/// <param name="ReturnTypeName">The intercepted method's return type with the call's type arguments (<c>void</c> for none).</param>
/// <param name="ResultTypeName">For SlaveProcess calls, the runtime method's type argument (<c>T</c>, <c>TInterface</c>); empty otherwise.</param>
/// <param name="ReceiverTypeName">For an instance method (or an extension method), the type of <c>this</c>; <see langword="null"/> for a static method.</param>
/// <param name="ContainingTypeName">The type declaring the intercepted method (for a static call).</param>
/// <param name="IsExtension">The intercepted method is an extension method (called through its first parameter).</param>
/// <param name="Parameters">The intercepted method's parameters after <c>this</c>.</param>
/// <param name="Lambdas">The lambdas the call ships.</param>
/// <param name="SeesRuntimeInternals">The compilation sees the runtime's internals (InternalsVisibleTo), so overrides of its <c>protected internal</c> members say so.</param>
internal sealed record CallSiteModel(
    string FilePath,
    int Position,
    int LocationVersion,
    string LocationData,
    string LocationDisplay,
    LambdaKind Kind,
    string MethodName,
    string ReturnTypeName,
    string ResultTypeName,
    string? ReceiverTypeName,
    string ContainingTypeName,
    bool IsExtension,
    EquatableArray<ParameterModel> Parameters,
    EquatableArray<LambdaModel> Lambdas,
    bool SeesRuntimeInternals);
