using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Processional.Generators.Helpers;
using Processional.Generators.Serialization.Roots;
using Processional.Generators.Serialization.Walk;

namespace Processional.Generators.Serialization;

/// <summary>
/// Reports what a <c>ProcessionalSerializer</c> call cannot serialize, at the call (the type argument, or the argument
/// <c>T</c> was inferred from), with the member path from the root. It runs the generator's walk; the generator itself
/// reports nothing and skips the types that have problems.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SerializationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.All;

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            if (start.Compilation.GetTypeByMetadataName("Processional.Serialization.ProcessionalSerializer") is null)
            {
                return;
            }

            // The problems of a type are the same from every call: walk each root type once per compilation.
            var problemsByType = new ConcurrentDictionary<ITypeSymbol, EquatableArray<SerializationProblem>>(SymbolEqualityComparer.Default);
            start.RegisterSyntaxNodeAction(node => AnalyzeInvocation(node, problemsByType), SyntaxKind.InvocationExpression);
        });
    }

    private static void AnalyzeInvocation(
        SyntaxNodeAnalysisContext context,
        ConcurrentDictionary<ITypeSymbol, EquatableArray<SerializationProblem>> problemsByType)
    {
        if (!SerializerCallRoots.IsCandidate(context.Node) ||
            !SerializerCallRoots.TryGetRoot((InvocationExpressionSyntax)context.Node, context.SemanticModel, context.CancellationToken, out var type, out var locationNode) ||
            type.TypeKind == TypeKind.Error)
        {
            return;
        }

        var location = locationNode.GetLocation();
        if (TypeGraphWalker.ContainsTypeParameters(type))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TypeParameter, location, TypeNames.Short(type), TypeNames.Display(type), string.Empty));
            return;
        }

        var cancellationToken = context.CancellationToken;
        var compilation = context.Compilation;
        var problems = problemsByType.GetOrAdd(type, t => new TypeGraphWalker(compilation, cancellationToken).Walk(t).Problems);
        foreach (var problem in problems)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ForProblem(problem.Kind), location, problem.Path, problem.TypeName, problem.Detail));
        }
    }
}
