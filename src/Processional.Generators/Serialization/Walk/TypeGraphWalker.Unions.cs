using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Processional.Generators.Helpers;
using Processional.Generators.Serialization.Models;

namespace Processional.Generators.Serialization.Walk;

/// <summary>Interfaces and abstract classes, written as MemoryPack unions of their concrete types.</summary>
internal sealed partial class TypeGraphWalker
{
    /// <summary>
    /// The concrete types are the ones listed by <c>[Union(tag, typeof(T))]</c> on the type when it has any, with their
    /// tags. Otherwise they are the non-abstract, non-generic classes and structs of this compilation that derive from
    /// it or implement it, tagged 0, 1, 2... in the ordinal order of their fully qualified names.
    /// </summary>
    private void ClassifyUnion(TypeAnalysis analysis, INamedTypeSymbol type)
    {
        var cases = new List<(ushort Tag, INamedTypeSymbol Type)>();
        var attributes = type.GetAttributes().Where(static a => SymbolFacts.IsProcessionalAttribute(a.AttributeClass, "UnionAttribute")).ToList();
        if (attributes.Count > 0)
        {
            var errors = new List<string>();
            var tags = new HashSet<ushort>();
            var listed = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
            foreach (var attribute in attributes)
            {
                if (attribute.ConstructorArguments.Length != 2 || attribute.ConstructorArguments[0].Value is not ushort tag)
                {
                    // Does not compile: the compiler reports it.
                    continue;
                }

                if (attribute.ConstructorArguments[1].Value is not INamedTypeSymbol caseType)
                {
                    errors.Add($"tag {tag} names no type");
                }
                else if (caseType.IsUnboundGenericType)
                {
                    errors.Add($"'{TypeNames.Short(caseType)}' (tag {tag}) is an open generic type; list a closed one such as typeof(X<int>)");
                }
                else if (caseType.IsAbstract)
                {
                    errors.Add($"'{TypeNames.Short(caseType)}' (tag {tag}) is abstract; list its concrete types instead");
                }
                else if (!DerivesFrom(caseType, type))
                {
                    errors.Add($"'{TypeNames.Short(caseType)}' (tag {tag}) does not {(type.TypeKind == TypeKind.Interface ? "implement" : "derive from")} '{TypeNames.Short(type)}'");
                }
                else if (!tags.Add(tag))
                {
                    errors.Add($"tag {tag} is used twice");
                }
                else if (!listed.Add(caseType))
                {
                    errors.Add($"'{TypeNames.Short(caseType)}' is listed twice");
                }
                else
                {
                    cases.Add((tag, caseType));
                }
            }

            if (errors.Count > 0)
            {
                analysis.Problems.Add((ProblemKind.InvalidUnion, string.Join("; ", errors)));
                return;
            }
        }
        else
        {
            var found = GetSourceTypes()
                .Where(t => t.TypeKind is TypeKind.Class or TypeKind.Struct && !t.IsAbstract && !t.IsStatic && !t.IsGenericType && DerivesFrom(t, type))
                .Select(static t => (Name: TypeNames.FullyQualified(t), Type: t))
                .OrderBy(static t => t.Name, StringComparer.Ordinal)
                .ToList();
            for (var i = 0; i < found.Count && i <= ushort.MaxValue; i++)
            {
                cases.Add(((ushort)i, found[i].Type));
            }
        }

        if (cases.Count == 0)
        {
            analysis.Problems.Add((ProblemKind.NoConcreteTypes, string.Empty));
            return;
        }

        cases.Sort(static (a, b) => a.Tag.CompareTo(b.Tag));
        analysis.ReferencedTypes.Add(type);
        foreach (var (_, caseType) in cases)
        {
            analysis.Edges.Add(("(" + TypeNames.Short(caseType) + ")", caseType, EdgeKind.Serialized));
            analysis.ReferencedTypes.Add(caseType);
        }

        analysis.Model = new UnionFormatterModel(
            TypeNames.FullyQualified(type),
            TypeNames.Display(type),
            TypeNames.HintName(type),
            type.Name,
            EquatableArray.From(cases.Select(static c => new UnionCaseModel(c.Tag, TypeNames.FullyQualified(c.Type)))));
    }

    private static bool DerivesFrom(INamedTypeSymbol candidate, INamedTypeSymbol baseType)
    {
        if (baseType.TypeKind == TypeKind.Interface)
        {
            return candidate.AllInterfaces.Contains(baseType, SymbolEqualityComparer.Default);
        }

        for (var current = candidate.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }
}
