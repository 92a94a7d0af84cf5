using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Processional.Generators.Helpers;
using Processional.Generators.Serialization.Models;

namespace Processional.Generators.Serialization.Walk;

/// <summary>Classes, structs and records: their members, their constructor, and unmanaged structs.</summary>
internal sealed partial class TypeGraphWalker
{
    /// <summary>The most members an object may have: its header is one byte, and 250 to 255 are reserved.</summary>
    public const int MaxMembers = 249;

    private void ClassifyObject(TypeAnalysis analysis, INamedTypeSymbol type)
    {
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (baseType.SpecialType is SpecialType.System_Object or SpecialType.System_ValueType)
            {
                break;
            }

            if (SymbolFacts.IsFramework(baseType, _compilation))
            {
                analysis.Problems.Add((ProblemKind.FrameworkBaseType, TypeNames.Display(baseType)));
                return;
            }
        }

        var candidates = CollectCandidates(type);
        var constructor = ChooseConstructor(type, candidates, out var whyNot);
        if (constructor is null)
        {
            analysis.Problems.Add((ProblemKind.NoUsableConstructor, whyNot));
            return;
        }

        var (chosen, parameterByMember) = constructor.Value;
        var setsRequiredMembers = chosen.GetAttributes().Any(static a =>
            a.AttributeClass is { Name: "SetsRequiredMembersAttribute" } attribute &&
            attribute.ContainingNamespace.ToDisplayString() == "System.Diagnostics.CodeAnalysis");

        var defaultedRequired = new List<string>();
        if (!setsRequiredMembers)
        {
            foreach (var required in CollectRequiredMemberNames(type))
            {
                var candidate = candidates.FirstOrDefault(c => c.Name == required);
                if (candidate is { Ignored: false, Settable: true })
                {
                    continue;
                }

                if (candidate is { Ignored: true, Settable: true })
                {
                    defaultedRequired.Add(TypeNames.Identifier(required));
                    continue;
                }

                analysis.Problems.Add((ProblemKind.NoUsableConstructor, $"its required member '{required}' is not public, so generated code cannot set it"));
                return;
            }
        }

        var versionTolerant = SymbolFacts.HasProcessionalAttribute(type, "VersionTolerantAttribute");
        var members = new List<MemberModel>();
        foreach (var candidate in candidates)
        {
            if (candidate.Ignored)
            {
                continue;
            }

            parameterByMember.TryGetValue(candidate.Name, out var parameter);
            var populateItem = !candidate.Settable && parameter is null
                ? SymbolFacts.GetPopulatableItemType(candidate.Type, _compilation)
                : null;
            if (parameter is null && !candidate.Settable && populateItem is null)
            {
                // A get-only property or readonly field that no constructor parameter sets: computed, not state.
                continue;
            }

            // A [VersionTolerant] object writes each member through its registered formatter into a side buffer
            // (VersionTolerantMembers), so its members are read the same way.
            var shape = versionTolerant ? FormatterShape(candidate.Type) : GetShape(candidate.Type);
            members.Add(new MemberModel(
                TypeNames.Identifier(candidate.Name),
                "__" + candidate.Name,
                shape,
                parameter is null ? null : TypeNames.Identifier(parameter.Name),
                candidate.Settable && (parameter is null || candidate.Required && !setsRequiredMembers),
                populateItem is null ? null : TypeNames.AnnotatedWithTopLevel(populateItem)));
            analysis.Edges.Add(("." + candidate.Name, candidate.Type, EdgeKind.Serialized));
            analysis.ReferencedTypes.Add(candidate.Type);
        }

        if (members.Count > MaxMembers)
        {
            analysis.Problems.Add((ProblemKind.TooManyMembers, members.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            analysis.Edges.Clear();
            return;
        }

        var arguments = new List<ArgumentModel>();
        foreach (var parameter in chosen.Parameters)
        {
            var member = parameterByMember.FirstOrDefault(p => SymbolEqualityComparer.Default.Equals(p.Value, parameter)).Key;
            if (member is not null)
            {
                var candidate = candidates.First(c => c.Name == member);
                arguments.Add(new ArgumentModel(TypeNames.Identifier(parameter.Name), "__" + member, candidate.Type.IsValueType));
            }
        }

        analysis.ReferencedTypes.Add(type);
        analysis.Model = new ObjectFormatterModel(
            TypeNames.FullyQualified(type),
            TypeNames.Display(type),
            TypeNames.HintName(type),
            type.Name,
            type.IsValueType,
            versionTolerant,
            EquatableArray.From(members),
            new ConstructionModel(EquatableArray.From(arguments), EquatableArray.From(defaultedRequired)));
    }

    /// <summary>
    /// The public instance fields and properties with a public getter, base class members first, each type's in
    /// declaration order. An override keeps the place of the member it overrides; a member hidden with <c>new</c>
    /// gives its place up to the one that hides it.
    /// </summary>
    private List<Candidate> CollectCandidates(INamedTypeSymbol type)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var current = type; current is not null && !SymbolFacts.IsFramework(current, _compilation); current = current.BaseType)
        {
            chain.Insert(0, current);
        }

        var candidates = new List<Candidate>();
        foreach (var declaring in chain)
        {
            foreach (var member in declaring.GetMembers())
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (member.IsStatic || member.DeclaredAccessibility != Accessibility.Public)
                {
                    continue;
                }

                Candidate candidate;
                switch (member)
                {
                    case IFieldSymbol { IsConst: false, IsImplicitlyDeclared: false } field:
                        candidate = new Candidate(field.Name, field.Type, !field.IsReadOnly, field.IsRequired, SymbolFacts.IsIgnored(field));
                        break;
                    case IPropertySymbol { IsIndexer: false, ReturnsByRef: false, ReturnsByRefReadonly: false, GetMethod.DeclaredAccessibility: Accessibility.Public } property:
                        if (property.IsOverride && candidates.FindIndex(c => c.Name == property.Name) is var overridden and >= 0)
                        {
                            // Keeps the overridden member's place; [IgnoreMember] on the override counts too.
                            if (SymbolFacts.IsIgnored(property) && !candidates[overridden].Ignored)
                            {
                                var original = candidates[overridden];
                                candidates[overridden] = new Candidate(original.Name, original.Type, original.Settable, original.Required, ignored: true);
                            }

                            continue;
                        }

                        var settable = property.SetMethod is { } setter && _compilation.IsSymbolAccessibleWithin(setter, _compilation.Assembly);
                        candidate = new Candidate(property.Name, property.Type, settable, property.IsRequired, SymbolFacts.IsIgnored(property));
                        break;
                    default:
                        continue;
                }

                candidates.RemoveAll(c => c.Name == candidate.Name);
                candidates.Add(candidate);
            }
        }

        return candidates;
    }

    /// <summary>The names of the required members of the type and its bases, public or not.</summary>
    private static List<string> CollectRequiredMemberNames(INamedTypeSymbol type)
    {
        var names = new List<string>();
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true } && !names.Contains(member.Name))
                {
                    names.Add(member.Name);
                }
            }
        }

        return names;
    }

    /// <summary>
    /// Picks the constructor: among the accessible ones (copy constructors aside) whose every parameter either matches a
    /// serialized member (same name ignoring case, same type ignoring nullable annotations) or is optional, the one that
    /// matches the most members; on a tie, the one with fewer parameters; then the first declared.
    /// </summary>
    private (IMethodSymbol Constructor, Dictionary<string, IParameterSymbol> ParameterByMember)? ChooseConstructor(
        INamedTypeSymbol type,
        List<Candidate> candidates,
        out string whyNot)
    {
        (IMethodSymbol Constructor, Dictionary<string, IParameterSymbol> ParameterByMember)? best = null;
        string? firstFailure = null;
        var firstFailureParameters = int.MaxValue;
        foreach (var constructor in type.InstanceConstructors)
        {
            if (!_compilation.IsSymbolAccessibleWithin(constructor, _compilation.Assembly) ||
                constructor.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type, type))
            {
                continue;
            }

            var parameterByMember = new Dictionary<string, IParameterSymbol>(StringComparer.Ordinal);
            string? failure = null;
            foreach (var parameter in constructor.Parameters)
            {
                var member = parameter.RefKind is RefKind.None or RefKind.In ? Match(parameter, candidates) : null;
                if (member is not null && !parameterByMember.ContainsKey(member.Name))
                {
                    parameterByMember.Add(member.Name, parameter);
                }
                else if (!parameter.IsOptional && !parameter.IsParams)
                {
                    failure = $"parameter '{parameter.Name}' of its constructor '{constructor.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}' matches no public field or property of the same name and type";
                    break;
                }
            }

            if (failure is not null)
            {
                if (constructor.Parameters.Length < firstFailureParameters)
                {
                    firstFailure = failure;
                    firstFailureParameters = constructor.Parameters.Length;
                }

                continue;
            }

            if (best is null ||
                parameterByMember.Count > best.Value.ParameterByMember.Count ||
                parameterByMember.Count == best.Value.ParameterByMember.Count && constructor.Parameters.Length < best.Value.Constructor.Parameters.Length)
            {
                best = (constructor, parameterByMember);
            }
        }

        whyNot = firstFailure ?? "it has no public constructor";
        return best;
    }

    private static Candidate? Match(IParameterSymbol parameter, List<Candidate> candidates)
    {
        Candidate? caseInsensitive = null;
        foreach (var candidate in candidates)
        {
            if (candidate.Ignored || !SymbolEqualityComparer.Default.Equals(candidate.Type, parameter.Type))
            {
                continue;
            }

            if (candidate.Name == parameter.Name)
            {
                return candidate;
            }

            if (caseInsensitive is null && string.Equals(candidate.Name, parameter.Name, StringComparison.OrdinalIgnoreCase))
            {
                caseInsensitive = candidate;
            }
        }

        return caseInsensitive;
    }

    /// <summary>
    /// An unmanaged struct is written as its raw bytes with no header (MemoryPack's rule), unless it asks for more with
    /// <c>[VersionTolerant]</c> or leaves a member out with <c>[IgnoreMember]</c>.
    /// </summary>
    private bool IsRawStruct(INamedTypeSymbol type) =>
        type.TypeKind == TypeKind.Struct &&
        type.IsUnmanagedType &&
        !SymbolFacts.IsFramework(type, _compilation) &&
        !SymbolFacts.HasProcessionalAttribute(type, "VersionTolerantAttribute") &&
        !type.GetMembers().Any(static m => !m.IsStatic && SymbolFacts.IsIgnored(m));

    private void ClassifyRawStruct(TypeAnalysis analysis, INamedTypeSymbol type)
    {
        // Its bytes go as they are: every field, public or not, must be plain data (no pointer, no handle).
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol { IsStatic: false, IsConst: false, IsFixedSizeBuffer: false } field)
            {
                analysis.Edges.Add(("." + (field.AssociatedSymbol?.Name ?? field.Name), field.Type, EdgeKind.Embedded));
            }
        }

        analysis.ReferencedTypes.Add(type);
        analysis.Model = new UnmanagedFormatterModel(TypeNames.FullyQualified(type), TypeNames.Display(type), TypeNames.HintName(type), type.Name);
    }

    /// <summary>How generated code writes and reads a value of <paramref name="type"/>.</summary>
    internal ValueShape GetShape(ITypeSymbol type)
    {
        var name = TypeNames.Annotated(type);
        if (IsUnmanagedShape(type))
        {
            return new ValueShape(ShapeKind.Unmanaged, name, true, null);
        }

        if (type.SpecialType == SpecialType.System_String)
        {
            return new ValueShape(ShapeKind.String, name, false, null);
        }

        if (type is IArrayTypeSymbol { IsSZArray: true } array && IsUnmanagedShape(array.ElementType))
        {
            return new ValueShape(ShapeKind.UnmanagedArray, name, false, TypeNames.Annotated(array.ElementType));
        }

        // Everything else, framework collections included, goes through the formatter registered for its type.
        return FormatterShape(type);
    }

    private static ValueShape FormatterShape(ITypeSymbol type) =>
        new(ShapeKind.Formatter, TypeNames.Annotated(type), type.IsValueType, null);

    /// <summary>Written as raw bytes by generated code: primitives, enums and unmanaged user structs.</summary>
    private bool IsUnmanagedShape(ITypeSymbol type) =>
        SymbolFacts.IsPrimitive(type) ||
        type.TypeKind == TypeKind.Enum ||
        type is INamedTypeSymbol named && IsRawStruct(named);

    private sealed class Candidate
    {
        public Candidate(string name, ITypeSymbol type, bool settable, bool required, bool ignored)
        {
            Name = name;
            Type = type;
            Settable = settable;
            Required = required;
            Ignored = ignored;
        }

        public string Name { get; }

        public ITypeSymbol Type { get; }

        public bool Settable { get; }

        public bool Required { get; }

        public bool Ignored { get; }
    }
}
