using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Processional.Generators.Helpers;
using Processional.Generators.Lambdas.Emit;
using Processional.Generators.Lambdas.Models;
using Processional.Generators.Lambdas.Parsing;

namespace Processional.Generators.Lambdas;

/// <summary>The work behind the pipeline of <see cref="LambdaGenerator"/>.</summary>
public sealed partial class LambdaGenerator
{
    private static CallSiteModel? GetModel(GeneratorSyntaxContext context, CancellationToken cancellationToken) =>
        LambdaCallParser.Parse((InvocationExpressionSyntax)context.Node, context.SemanticModel, sink: null, cancellationToken);

    /// <summary>The calls of each source file, in source order, one model per file, named after the file (unique ignoring case).</summary>
    private static EquatableArray<LambdaFileModel> GroupByFile(ImmutableArray<CallSiteModel> calls)
    {
        var files = calls
            .GroupBy(static c => c.FilePath, StringComparer.Ordinal)
            .OrderBy(static g => g.Key, StringComparer.Ordinal)
            .Select(static g =>
            {
                var name = Path.GetFileName(g.Key);
                var hintName = (name.Length == 0 ? "Lambdas" : Path.GetFileNameWithoutExtension(name)) + ".Lambdas";
                return new LambdaFileModel(hintName, name, EquatableArray.From(g.OrderBy(static c => c.Position)));
            });
        return HintNames.OrderAndMakeUnique(files, static f => f.HintName, static (f, hintName) => f with { HintName = hintName });
    }

    private static void Emit(SourceProductionContext context, LambdaFileModel file)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        context.AddSource(file.HintName + ".g.cs", SourceText.From(LambdaEmitter.Emit(file), Encoding.UTF8));
    }
}
