using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Processional.Generators.Lambdas.Parsing;
using Processional.Generators.Serialization.Walk;
using SerializationDescriptors = Processional.Generators.Serialization.DiagnosticDescriptors;

namespace Processional.Generators.Lambdas;

/// <summary>
/// Reports what cannot ship in a lambda sent to another process (PROC3xx): it reads each call with the generator's own
/// parser, and checks every captured variable and result sent by value with the serializer's walk, so that a capture
/// that cannot be serialized is reported at its first use in the lambda with its member path: <c>order.Lines[].Stream</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LambdaAnalyzer : DiagnosticAnalyzer
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
            if (start.Compilation.GetTypeByMetadataName(LambdaSymbols.SlaveProcess) is null)
            {
                return;
            }

            // One walker per compilation learns each type once, whatever the number of lambdas that send it.
            var walker = new SharedTypeGraphWalker(start.Compilation);
            start.RegisterSyntaxNodeAction(node => Analyze(node, walker), SyntaxKind.InvocationExpression);
        });
    }

    private static void Analyze(SyntaxNodeAnalysisContext context, SharedTypeGraphWalker walker)
    {
        if (LambdaCallParser.IsCandidate(context.Node, context.CancellationToken))
        {
            LambdaCallParser.Parse((InvocationExpressionSyntax)context.Node, context.SemanticModel, new Sink(context, walker), context.CancellationToken);
        }
    }

    private sealed class Sink : ILambdaProblemSink
    {
        private readonly SyntaxNodeAnalysisContext _context;
        private readonly SharedTypeGraphWalker _walker;

        public Sink(SyntaxNodeAnalysisContext context, SharedTypeGraphWalker walker)
        {
            _context = context;
            _walker = walker;
        }

        public void Report(DiagnosticDescriptor descriptor, Location location, params object[] arguments) =>
            _context.ReportDiagnostic(Diagnostic.Create(descriptor, location, arguments));

        public void CheckSerializable(ITypeSymbol type, string path, Location location, SerializedRole role)
        {
            foreach (var problem in _walker.FindProblems(type, path, _context.CancellationToken))
            {
                // The serializer's rule says what is wrong and how to fix it; the lambda's rule says where it comes from.
                var (rule, message) = SerializationDescriptors.Describe(problem);
                var noFormatter = problem.Kind == ProblemKind.NoBuiltInFormatter;
                switch (role)
                {
                    case SerializedRole.Capture when problem.Kind == ProblemKind.Resource && problem.Path == path:
                        Report(DiagnosticDescriptors.CaptureIsResource, location, path, problem.TypeName);
                        break;
                    case SerializedRole.Capture:
                        Report(noFormatter ? DiagnosticDescriptors.CaptureWithoutFormatter : DiagnosticDescriptors.CaptureNotSerializable, location, message, rule.Id);
                        break;
                    case SerializedRole.This:
                        Report(DiagnosticDescriptors.ThisNotSerializable, location, message, rule.Id, TypeNames.Display(type));
                        break;
                    default:
                        Report(noFormatter ? DiagnosticDescriptors.ResultWithoutFormatter : DiagnosticDescriptors.ResultNotSerializable, location, message, rule.Id);
                        break;
                }
            }
        }
    }
}
