using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Processional.Generators.Serialization.Roots;

/// <summary>
/// The roots of this issue: calls of <c>ProcessionalSerializer</c>'s generic <c>Serialize</c>, <c>Deserialize</c>,
/// <c>SerializeAsync</c> and <c>DeserializeAsync</c> methods. Both the generator and the analyzer find them here, so that
/// they agree on what is a root and where it is.
/// </summary>
internal static class SerializerCallRoots
{
    /// <summary>The cheap syntactic test: an invocation of something named like one of the serializer's methods.</summary>
    public static bool IsCandidate(SyntaxNode node) =>
        node is InvocationExpressionSyntax invocation && GetName(invocation.Expression) is { } name && IsSerializerMethodName(name.Identifier.ValueText);

    /// <summary>
    /// Finds the root type of a serializer call, and the node a diagnostic about it goes to: the type argument when the
    /// call spells it (<c>Deserialize&lt;Order&gt;(...)</c>), otherwise the argument it was inferred from
    /// (<c>Serialize(order)</c>).
    /// </summary>
    /// <returns><see langword="false"/> when the invocation is not a call of the serializer.</returns>
    public static bool TryGetRoot(
        InvocationExpressionSyntax invocation,
        SemanticModel semanticModel,
        CancellationToken cancellationToken,
        out ITypeSymbol type,
        out SyntaxNode locationNode)
    {
        type = null!;
        locationNode = invocation;
        if (semanticModel.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method ||
            !IsSerializerMethodName(method.Name) ||
            method.TypeArguments.Length == 0 ||
            method.ContainingType is not { Name: "ProcessionalSerializer", ContainingType: null } serializer ||
            serializer.ContainingNamespace.ToDisplayString() != "Processional.Serialization")
        {
            return false;
        }

        type = method.TypeArguments[0];
        var name = GetName(invocation.Expression)!;
        if (name is GenericNameSyntax { TypeArgumentList.Arguments.Count: > 0 } generic)
        {
            locationNode = generic.TypeArgumentList.Arguments[0];
            return true;
        }

        locationNode = FindValueArgument(invocation, method) ?? (SyntaxNode)name;
        return true;
    }

    private static bool IsSerializerMethodName(string name) =>
        name is "Serialize" or "Deserialize" or "SerializeAsync" or "DeserializeAsync";

    private static SimpleNameSyntax? GetName(ExpressionSyntax expression) => expression switch
    {
        MemberAccessExpressionSyntax memberAccess => memberAccess.Name,
        SimpleNameSyntax simple => simple,
        _ => null,
    };

    /// <summary>The argument passed to the parameter named <c>value</c>, whose type gave <c>T</c>.</summary>
    private static ExpressionSyntax? FindValueArgument(InvocationExpressionSyntax invocation, IMethodSymbol method)
    {
        var ordinal = -1;
        foreach (var parameter in method.Parameters)
        {
            if (parameter.Name == "value")
            {
                ordinal = parameter.Ordinal;
            }
        }

        var arguments = invocation.ArgumentList.Arguments;
        foreach (var argument in arguments)
        {
            if (argument.NameColon?.Name.Identifier.ValueText == "value")
            {
                return argument.Expression;
            }
        }

        return ordinal >= 0 && ordinal < arguments.Count && arguments[ordinal].NameColon is null ? arguments[ordinal].Expression : null;
    }
}
