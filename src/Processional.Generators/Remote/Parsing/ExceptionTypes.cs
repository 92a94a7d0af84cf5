using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Processional.Generators.Remote.Models;
using Processional.Generators.Serialization.Walk;

namespace Processional.Generators.Remote.Parsing;

/// <summary>
/// The exception types of the program that a remote exception can be re-created as: public or internal non-abstract,
/// non-generic classes of this compilation deriving from <c>System.Exception</c>, with a public or internal
/// <c>(string, Exception)</c> or <c>(string)</c> constructor.
/// </summary>
internal static class ExceptionTypes
{
    /// <summary>The cheap syntactic test: a class declaration with a base list, not abstract, static or generic.</summary>
    public static bool IsCandidate(SyntaxNode node) =>
        node is ClassDeclarationSyntax { BaseList: not null, TypeParameterList: null } declaration &&
        !declaration.Modifiers.Any(SyntaxKind.AbstractKeyword) &&
        !declaration.Modifiers.Any(SyntaxKind.StaticKeyword);

    /// <summary>The registration model of the class declared at <paramref name="context"/>'s node, or null when it is not a registrable exception type.</summary>
    public static ExceptionTypeModel? GetModel(GeneratorSyntaxContext context, CancellationToken cancellationToken) =>
        context.SemanticModel.GetDeclaredSymbol(context.Node, cancellationToken) is INamedTypeSymbol type
            ? GetModel(type, context.SemanticModel.Compilation)
            : null;

    private static ExceptionTypeModel? GetModel(INamedTypeSymbol type, Compilation compilation)
    {
        if (type.IsAbstract || type.IsStatic || RemoteSymbols.IsGenericOrInGeneric(type) || !DerivesFromException(type) ||
            IsObsoleteError(type) || !IsAccessible(type, compilation))
        {
            return null;
        }

        IMethodSymbol? withInner = null;
        IMethodSymbol? messageOnly = null;
        foreach (var constructor in type.InstanceConstructors)
        {
            if (constructor.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal) ||
                IsObsoleteError(constructor) ||
                constructor.Parameters.Any(static p => p.RefKind != RefKind.None) ||
                constructor.Parameters.Length is 0 or > 2 ||
                constructor.Parameters[0].Type.SpecialType != SpecialType.System_String)
            {
                continue;
            }

            if (constructor.Parameters.Length == 1)
            {
                messageOnly ??= constructor;
            }
            else if (RemoteSymbols.IsException(constructor.Parameters[1].Type))
            {
                withInner ??= constructor;
            }
        }

        var chosen = withInner ?? messageOnly;
        if (chosen is null || HasRequiredMembers(type) && !RemoteSymbols.HasAttribute(chosen, "System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute"))
        {
            return null;
        }

        return new ExceptionTypeModel(TypeNames.FullyQualified(type), TypeNames.HintName(type), type.Name, withInner is not null);
    }

    private static bool DerivesFromException(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (RemoteSymbols.IsException(current))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAccessible(INamedTypeSymbol type, Compilation compilation)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsFileLocal || !compilation.IsSymbolAccessibleWithin(current, compilation.Assembly))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Required members would have to be set by the factory: only a constructor with [SetsRequiredMembers] can be used.</summary>
    private static bool HasRequiredMembers(INamedTypeSymbol type)
    {
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            if (current.GetMembers().Any(static m => m is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true }))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Marked <c>[Obsolete(..., error: true)]</c>: naming it would not compile (plain [Obsolete] is only a warning, suppressed).</summary>
    private static bool IsObsoleteError(ISymbol symbol) => symbol.GetAttributes().Any(static a =>
        a.AttributeClass is { } attribute &&
        SymbolFacts.MetadataName(attribute) == "System.ObsoleteAttribute" &&
        a.ConstructorArguments.Length == 2 &&
        a.ConstructorArguments[1].Value is true);
}
