using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Processional.Generators.Remote.Parsing;
using Processional.Generators.Serialization.Walk;
using SerializationDescriptors = Processional.Generators.Serialization.DiagnosticDescriptors;

namespace Processional.Generators.Remote;

/// <summary>
/// Reports what the generator cannot support in a [Remote] interface (PROC2xx), at the member, parameter or type
/// concerned. It reads the interface with the generator's own parser, and checks every type sent by value with the
/// serializer's walk, so that a type that cannot be serialized is reported at the parameter (or result) with its member
/// path: <c>Submit(order).Lines[].Stream</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RemoteAnalyzer : DiagnosticAnalyzer
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
            if (start.Compilation.GetTypeByMetadataName(RemoteSymbols.RemoteAttribute) is null)
            {
                return;
            }

            // One walker per compilation learns each type once, whatever the number of interfaces that send it.
            var walker = new SharedTypeGraphWalker(start.Compilation);
            start.RegisterSymbolAction(symbol => Analyze(symbol, walker), SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, SharedTypeGraphWalker walker)
    {
        if (context.Symbol is INamedTypeSymbol { TypeKind: TypeKind.Interface } type && RemoteSymbols.HasAttribute(type, RemoteSymbols.RemoteAttribute))
        {
            RemoteInterfaceParser.Parse(type, context.Compilation, new Sink(context, walker), context.CancellationToken);
        }
    }

    private sealed class Sink : IRemoteProblemSink
    {
        private readonly SymbolAnalysisContext _context;
        private readonly SharedTypeGraphWalker _walker;

        public Sink(SymbolAnalysisContext context, SharedTypeGraphWalker walker)
        {
            _context = context;
            _walker = walker;
        }

        public void Report(DiagnosticDescriptor descriptor, Location location, params object[] arguments) =>
            _context.ReportDiagnostic(Diagnostic.Create(descriptor, location, arguments));

        public void CheckSerializable(ITypeSymbol type, string path, Location location)
        {
            foreach (var problem in _walker.FindProblems(type, path, _context.CancellationToken))
            {
                // The serializer's rule says what is wrong and how to fix it; the [Remote] rule says where it comes from.
                var (rule, message) = SerializationDescriptors.Describe(problem);
                var descriptor = problem.Kind == ProblemKind.NoBuiltInFormatter ? DiagnosticDescriptors.NoBuiltInFormatter : DiagnosticDescriptors.NotSerializable;
                Report(descriptor, location, message, rule.Id);
            }
        }
    }
}
