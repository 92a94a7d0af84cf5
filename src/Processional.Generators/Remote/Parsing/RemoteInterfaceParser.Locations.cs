using System.Linq;
using Microsoft.CodeAnalysis;
using Processional.Generators.Serialization.Walk;

namespace Processional.Generators.Remote.Parsing;

/// <summary>Where problems are reported, and how members are named in messages.</summary>
internal sealed partial class RemoteInterfaceParser
{
    /// <summary>
    /// Where a problem with a member goes: <paramref name="node"/> (a type, when the problem is the type) or the member's
    /// name, for a member of this interface. A member inherited from another [Remote] interface of this compilation is
    /// reported there, by that interface's own analysis (null: not again here); one inherited from any other interface
    /// is reported at this interface's name.
    /// </summary>
    private Location? LocationOf(ISymbol member, INamedTypeSymbol declaring, SyntaxNode? node)
    {
        if (!SymbolEqualityComparer.Default.Equals(declaring, _interface))
        {
            return IsAnalyzedOnItsOwn(declaring) ? null : _interface.Locations.FirstOrDefault();
        }

        return node?.GetLocation() ?? member.Locations.FirstOrDefault(static l => l.IsInSource) ?? _interface.Locations.FirstOrDefault();
    }

    /// <summary>Where a problem of this interface as a whole goes (a collision between members): the member when it is declared here, else the interface.</summary>
    private Location? LocationHere(ISymbol member, INamedTypeSymbol declaring) =>
        SymbolEqualityComparer.Default.Equals(declaring, _interface)
            ? member.Locations.FirstOrDefault(static l => l.IsInSource) ?? _interface.Locations.FirstOrDefault()
            : _interface.Locations.FirstOrDefault();

    /// <summary>A [Remote] interface of this compilation that the analyzer looks at by itself (a non-generic one).</summary>
    private bool IsAnalyzedOnItsOwn(INamedTypeSymbol declaring) =>
        RemoteSymbols.IsRemoteInterface(declaring) &&
        !RemoteSymbols.IsGenericOrInGeneric(declaring) &&
        SymbolEqualityComparer.Default.Equals(declaring.ContainingAssembly, _compilation.Assembly);

    /// <summary>How messages name a member: <c>Method</c>, or <c>IBase.Method</c> for one inherited from another interface.</summary>
    private string PathPrefix(INamedTypeSymbol declaring) =>
        SymbolEqualityComparer.Default.Equals(declaring, _interface) ? string.Empty : TypeNames.Short(declaring) + ".";

    private SyntaxNode? GetSyntax(ISymbol symbol) =>
        symbol.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_cancellationToken);

    private static string RefKindText(RefKind kind, bool isReturn) => kind switch
    {
        RefKind.Out => "out",
        RefKind.In when isReturn => "ref readonly",
        RefKind.In => "in",
        RefKind.RefReadOnlyParameter => "ref readonly",
        _ => "ref",
    };

    /// <summary>Says why generated code cannot name the interface, or returns null when it can.</summary>
    private string? GetInaccessibility()
    {
        for (var current = _interface; current is not null; current = current.ContainingType)
        {
            var self = SymbolEqualityComparer.Default.Equals(current, _interface);
            if (current.IsFileLocal)
            {
                return self ? "it is file-local" : $"it is nested in the file-local '{TypeNames.Short(current)}'";
            }

            if (!_compilation.IsSymbolAccessibleWithin(current, _compilation.Assembly))
            {
                var what = current.DeclaredAccessibility == Accessibility.Private ? "private" : "protected";
                return self ? $"it is {what}" : $"it is nested in '{TypeNames.Short(current)}', which is {what}";
            }
        }

        return null;
    }
}
