using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
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

            // One walker per compilation learns each type once; the problems of a root type are the same from every call.
            var state = new CompilationState(new TypeGraphWalker(start.Compilation));
            start.RegisterSyntaxNodeAction(node => AnalyzeInvocation(node, state), SyntaxKind.InvocationExpression);
        });
    }

    private static void AnalyzeInvocation(SyntaxNodeAnalysisContext context, CompilationState state)
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

        foreach (var problem in state.GetProblems(type, context.CancellationToken))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ForProblem(problem.Kind), location, problem.Path, problem.TypeName, problem.Detail));
        }
    }

    /// <summary>The walker of one compilation and the problems found per root type; callbacks run concurrently.</summary>
    private sealed class CompilationState
    {
        private readonly TypeGraphWalker _walker;
        private readonly Dictionary<ITypeSymbol, EquatableArray<SerializationProblem>> _problemsByType = new(SymbolEqualityComparer.Default);
        private readonly object _gate = new();

        public CompilationState(TypeGraphWalker walker)
        {
            _walker = walker;
        }

        public EquatableArray<SerializationProblem> GetProblems(ITypeSymbol type, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (!_problemsByType.TryGetValue(type, out var problems))
                {
                    problems = _walker.FindProblems(type, rootPath: null, cancellationToken);
                    _problemsByType.Add(type, problems);
                }

                return problems;
            }
        }
    }
}
