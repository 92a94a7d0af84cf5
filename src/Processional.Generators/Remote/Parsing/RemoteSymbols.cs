using System.Linq;
using Microsoft.CodeAnalysis;
using Processional.Generators.Serialization.Walk;

namespace Processional.Generators.Remote.Parsing;

/// <summary>
/// The framework and Processional types that [Remote] signatures treat specially, recognized by name (as
/// <see cref="SymbolFacts"/> does) so that nothing is looked up per compilation.
/// </summary>
internal static class RemoteSymbols
{
    /// <summary>The attribute that marks a [Remote] interface.</summary>
    public const string RemoteAttribute = "Processional.RemoteAttribute";

    /// <summary>The attribute that marks a fire-and-forget method.</summary>
    public const string OneWayAttribute = "Processional.OneWayAttribute";

    /// <summary>The runtime's registry of exception types, which generated exception registrations call.</summary>
    public const string RemoteExceptions = "Processional.Rpc.RemoteExceptions";

    public static bool IsCancellationToken(ITypeSymbol type) => Is(type, "System.Threading.CancellationToken");

    public static bool IsTask(ITypeSymbol type) => Is(type, "System.Threading.Tasks.Task");

    public static bool IsTaskOfT(ITypeSymbol type) => Is(type, "System.Threading.Tasks.Task`1");

    public static bool IsValueTask(ITypeSymbol type) => Is(type, "System.Threading.Tasks.ValueTask");

    public static bool IsValueTaskOfT(ITypeSymbol type) => Is(type, "System.Threading.Tasks.ValueTask`1");

    public static bool IsAsyncEnumerable(ITypeSymbol type) => Is(type, "System.Collections.Generic.IAsyncEnumerable`1");

    public static bool IsProgress(ITypeSymbol type) => Is(type, "System.IProgress`1");

    public static bool IsDisposable(ITypeSymbol type) => Is(type, "System.IDisposable");

    public static bool IsAsyncDisposable(ITypeSymbol type) => Is(type, "System.IAsyncDisposable");

    public static bool IsException(ITypeSymbol type) => Is(type, "System.Exception");

    /// <summary>Whether the type is an interface marked <c>[Remote]</c>: such a value travels by reference.</summary>
    public static bool IsRemoteInterface(ITypeSymbol type) =>
        type is INamedTypeSymbol { TypeKind: TypeKind.Interface } named && HasAttribute(named.OriginalDefinition, RemoteAttribute);

    public static bool IsOneWay(IMethodSymbol method) => HasAttribute(method, OneWayAttribute);

    /// <summary>Whether the symbol carries the attribute whose full name is <paramref name="fullName"/>.</summary>
    public static bool HasAttribute(ISymbol symbol, string fullName) =>
        symbol.GetAttributes().Any(a => a.AttributeClass is { } attribute && SymbolFacts.MetadataName(attribute) == fullName);

    /// <summary>The type, or a type containing it, is generic (Roslyn's <c>IsGenericType</c> counts containing types).</summary>
    public static bool IsGenericOrInGeneric(INamedTypeSymbol type) => type.IsGenericType;

    private static bool Is(ITypeSymbol type, string metadataName) =>
        type is INamedTypeSymbol named && SymbolFacts.MetadataName(named) == metadataName;
}
