using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Processional.Generators.Serialization.Walk;

/// <summary>The ways the generator names types: in code, in messages, in paths and in file names.</summary>
internal static class TypeNames
{
    private const SymbolDisplayMiscellaneousOptions CodeOptions =
        SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers |
        SymbolDisplayMiscellaneousOptions.UseSpecialTypes |
        SymbolDisplayMiscellaneousOptions.ExpandNullable |
        SymbolDisplayMiscellaneousOptions.ExpandValueTuple;

    // global::Shop.Box<global::Shop.Order>: valid wherever a type goes, with no nullable annotations (typeof, hint names).
    private static readonly SymbolDisplayFormat s_fullyQualified = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(CodeOptions);

    // Like s_fullyQualified, with the '?' of nullable reference types, so that generated code matches declared members.
    private static readonly SymbolDisplayFormat s_annotated = s_fullyQualified
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    // global::Shop.Box<(int Id, string? Name)>?: a declared type as a member signature writes it, with tuple element
    // names (an explicit interface implementation must repeat them) and every nullable annotation.
    private static readonly SymbolDisplayFormat s_signature = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(
            SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers |
            SymbolDisplayMiscellaneousOptions.UseSpecialTypes |
            SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    // Shop.Box<int>: for messages inside generated code.
    private static readonly SymbolDisplayFormat s_display = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.ExpandValueTuple);

    // Outer.Box<Order>: the first segment of a member path, and the type named by a diagnostic.
    private static readonly SymbolDisplayFormat s_short = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.ExpandValueTuple);

    /// <summary>The fully qualified name, without nullable annotations.</summary>
    public static string FullyQualified(ITypeSymbol type) => type.ToDisplayString(s_fullyQualified);

    /// <summary>The fully qualified name with the nullable annotations of type arguments, but none at the top level.</summary>
    public static string Annotated(ITypeSymbol type) =>
        type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(s_annotated);

    /// <summary>The fully qualified name with every nullable annotation, the top level's included.</summary>
    public static string AnnotatedWithTopLevel(ITypeSymbol type) => type.ToDisplayString(s_annotated);

    /// <summary>The fully qualified name as a member signature declares it: tuple element names and every nullable annotation.</summary>
    public static string Signature(ITypeSymbol type) => type.ToDisplayString(s_signature);

    /// <summary>The namespace-qualified name, for messages.</summary>
    public static string Display(ITypeSymbol type) => type.ToDisplayString(s_display);

    /// <summary>The name with containing types but no namespace, for member paths.</summary>
    public static string Short(ITypeSymbol type) => type.ToDisplayString(s_short);

    /// <summary>
    /// The generated file's name without extension: the fully qualified name without <c>global::</c>, with braces for
    /// angle brackets (which file names cannot hold): <c>Shop.Box{Shop.Order}</c>.
    /// </summary>
    public static string HintName(ITypeSymbol type) => FullyQualified(type)
        .Replace("global::", string.Empty)
        .Replace('<', '{')
        .Replace('>', '}')
        .Replace(" ", string.Empty);

    /// <summary>A member's or parameter's name as code writes it: keywords escaped with <c>@</c>.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
