using Processional.Generators.Helpers;

namespace Processional.Generators.Lambdas.Models;

/// <summary>The intercepted calls of one source file: one generated file, so that editing a source file rewrites only its interceptors.</summary>
/// <param name="HintName">The generated file's name without <c>.g.cs</c>.</param>
/// <param name="FileName">The source file's name, for the comment at the top.</param>
/// <param name="Calls">The call sites, in source order.</param>
internal sealed record LambdaFileModel(string HintName, string FileName, EquatableArray<CallSiteModel> Calls);
