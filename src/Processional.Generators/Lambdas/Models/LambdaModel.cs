using Processional.Generators.Helpers;

namespace Processional.Generators.Lambdas.Models;

/// <summary>One lambda written at a call site, which ships to another process: the <c>RemoteLambda</c> subclass generated for it.</summary>
/// <param name="Id">The call site's id: FNV-1a (64 bits) of the interceptable location's data (and the parameter, for [Remote] parameters).</param>
/// <param name="DelegateTypeName">The delegate type the lambda is converted to (<c>global::System.Func&lt;int&gt;</c>).</param>
/// <param name="RunKind">How the slave runs it and completes the call.</param>
/// <param name="ResultTypeName">The type argument of the completion (<c>T</c>, <c>TInterface</c>), or empty.</param>
/// <param name="ContainingMethod">The metadata name of the member the lambda is written in (<c>Main</c>, <c>&lt;Main&gt;$</c>, <c>.ctor</c>, <c>get_Value</c>).</param>
/// <param name="Captures">The captured variables, in the order of their first use in the lambda.</param>
/// <param name="MethodGroup">For a static method group, the method's fully qualified name, which a generated lambda calls; otherwise <see langword="null"/>.</param>
internal sealed record LambdaModel(
    ulong Id,
    string DelegateTypeName,
    LambdaKind RunKind,
    string ResultTypeName,
    string ContainingMethod,
    EquatableArray<CaptureModel> Captures,
    string? MethodGroup);
