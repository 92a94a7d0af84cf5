using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using Processional.Generators.Helpers;
using Processional.Generators.Remote.Parsing;
using Processional.Generators.Serialization.Emit;
using Processional.Generators.Serialization.Models;
using Processional.Generators.Serialization.Roots;
using Processional.Generators.Serialization.Walk;

namespace Processional.Generators.Serialization;

/// <summary>The work behind the pipeline of <see cref="SerializationGenerator"/>.</summary>
public sealed partial class SerializationGenerator
{
    /// <summary>The type a serializer call needs; null when it is not such a call, or its type is not known there.</summary>
    private static RootModel? GetSerializerCallRoot(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        if (!SerializerCallRoots.TryGetRoot(invocation, context.SemanticModel, cancellationToken, out var type, out _) ||
            type.TypeKind == TypeKind.Error ||
            TypeGraphWalker.ContainsTypeParameters(type))
        {
            return null;
        }

        return new RootModel(DocumentationCommentId.CreateReferenceId(type));
    }

    /// <summary>The types a [Remote] interface sends by value (see <see cref="RemoteInterfaceParser.CollectSerializedTypes"/>).</summary>
    private static EquatableArray<RootModel> GetRemoteSignatureRoots(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Interface } type)
        {
            return EquatableArray<RootModel>.Empty;
        }

        return EquatableArray.From(RemoteInterfaceParser.CollectSerializedTypes(type, cancellationToken)
            .Select(static t => DocumentationCommentId.CreateReferenceId(t))
            .Distinct(StringComparer.Ordinal)
            .Select(static id => new RootModel(id)));
    }

    /// <summary>The types a lambda shipped to another process sends by value (see <see cref="Lambdas.Parsing.LambdaCallParser.CollectSerializedTypes"/>).</summary>
    private static EquatableArray<RootModel> GetLambdaRoots(GeneratorSyntaxContext context, CancellationToken cancellationToken) =>
        EquatableArray.From(Lambdas.Parsing.LambdaCallParser.CollectSerializedTypes((InvocationExpressionSyntax)context.Node, context.SemanticModel, cancellationToken)
            .Where(static t => t.TypeKind != TypeKind.Error && !TypeGraphWalker.ContainsTypeParameters(t))
            .Select(static t => DocumentationCommentId.CreateReferenceId(t))
            .Distinct(StringComparer.Ordinal)
            .Select(static id => new RootModel(id)));

    /// <summary>Joins the collected roots of every kind of root into one list.</summary>
    private static IncrementalValueProvider<ImmutableArray<RootModel>> CombineRoots(
        IncrementalValueProvider<ImmutableArray<RootModel>> first,
        params IncrementalValueProvider<ImmutableArray<RootModel>>[] others)
    {
        var all = first;
        foreach (var other in others)
        {
            all = all.Combine(other).Select(static (pair, _) => pair.Left.AddRange(pair.Right));
        }

        return all;
    }

    /// <summary>Walks the types of all roots once and returns one model per generated file, in hint-name order.</summary>
    private static EquatableArray<FormatterModel> CollectFormatters(ImmutableArray<RootModel> roots, Compilation compilation, CancellationToken cancellationToken)
    {
        var types = new List<ITypeSymbol>();
        foreach (var id in roots.Select(static r => r.TypeReferenceId).Distinct(StringComparer.Ordinal).OrderBy(static id => id, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (DocumentationCommentId.GetFirstSymbolForReferenceId(id, compilation) is ITypeSymbol type)
            {
                types.Add(type);
            }
        }

        return Deduplicate(new TypeGraphWalker(compilation).CollectFormatters(types, cancellationToken));
    }

    /// <summary>
    /// Orders the models by hint name (so that an edit to one type changes only its entry, whatever order the roots
    /// were found in) and gives hint names that differ only in case (file names on some systems) a numeric suffix.
    /// </summary>
    private static EquatableArray<FormatterModel> Deduplicate(List<FormatterModel> formatters)
    {
        var ordered = formatters
            .GroupBy(static f => f.TypeName, StringComparer.Ordinal)
            .Select(static g => g.First())
            .OrderBy(static f => f.HintName, StringComparer.Ordinal)
            .ToList();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = new List<FormatterModel>(ordered.Count);
        foreach (var formatter in ordered)
        {
            var hintName = formatter.HintName;
            for (var suffix = 2; !used.Add(hintName); suffix++)
            {
                hintName = formatter.HintName + "." + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            result.Add(hintName == formatter.HintName ? formatter : formatter with { HintName = hintName });
        }

        return EquatableArray.From(result);
    }

    private static void Emit(SourceProductionContext context, FormatterModel formatter)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        context.AddSource(formatter.HintName + ".g.cs", SourceText.From(FormatterEmitter.Emit(formatter), Encoding.UTF8));
    }
}
