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
using Processional.Generators.Serialization.Emit;
using Processional.Generators.Serialization.Models;
using Processional.Generators.Serialization.Roots;
using Processional.Generators.Serialization.Walk;

namespace Processional.Generators.Serialization;

/// <summary>The work behind the pipeline of <see cref="SerializationGenerator"/>.</summary>
public sealed partial class SerializationGenerator
{
    /// <summary>The formatters that one serializer call needs; empty when it is not one, or its type is not known.</summary>
    private static EquatableArray<FormatterModel> GetSerializerCallFormatters(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        if (!SerializerCallRoots.TryGetRoot(invocation, context.SemanticModel, cancellationToken, out var type, out _) ||
            type.TypeKind == TypeKind.Error ||
            TypeGraphWalker.ContainsTypeParameters(type))
        {
            return EquatableArray<FormatterModel>.Empty;
        }

        return new TypeGraphWalker(context.SemanticModel.Compilation, cancellationToken).Walk(type).Formatters;
    }

    /// <summary>Joins the collected formatter sets of every kind of root into one list.</summary>
    private static IncrementalValueProvider<EquatableArray<FormatterModel>> CombineFormatterSets(
        IncrementalValueProvider<ImmutableArray<EquatableArray<FormatterModel>>> first,
        params IncrementalValueProvider<ImmutableArray<EquatableArray<FormatterModel>>>[] others)
    {
        var all = first.Select(static (sets, _) => Flatten(sets));
        foreach (var other in others)
        {
            all = all.Combine(other).Select(static (pair, _) => EquatableArray.From(pair.Left.Concat(Flatten(pair.Right))));
        }

        return all;
    }

    private static EquatableArray<FormatterModel> Flatten(ImmutableArray<EquatableArray<FormatterModel>> sets) =>
        EquatableArray.From(sets.SelectMany(static set => set));

    /// <summary>
    /// One model per generated file, in hint-name order (so that an edit to one type changes only its entry, and the
    /// output is the same whatever order the roots were found in). The same type reached from several roots gives
    /// equal models; hint names that differ only in case (file names on some systems) get a numeric suffix.
    /// </summary>
    private static ImmutableArray<FormatterModel> Deduplicate(EquatableArray<FormatterModel> all)
    {
        var byTypeName = new Dictionary<string, FormatterModel>(StringComparer.Ordinal);
        foreach (var formatter in all)
        {
            if (!byTypeName.ContainsKey(formatter.TypeName))
            {
                byTypeName.Add(formatter.TypeName, formatter);
            }
        }

        var ordered = byTypeName.Values.OrderBy(static f => f.HintName, StringComparer.Ordinal).ToList();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = ImmutableArray.CreateBuilder<FormatterModel>(ordered.Count);
        foreach (var formatter in ordered)
        {
            var hintName = formatter.HintName;
            for (var suffix = 2; !used.Add(hintName); suffix++)
            {
                hintName = formatter.HintName + "." + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            result.Add(hintName == formatter.HintName ? formatter : formatter with { HintName = hintName });
        }

        return result.MoveToImmutable();
    }

    private static void Emit(SourceProductionContext context, FormatterModel formatter)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        context.AddSource(formatter.HintName + ".g.cs", SourceText.From(FormatterEmitter.Emit(formatter), Encoding.UTF8));
    }
}
