using Microsoft.CodeAnalysis;
using Processional.Generators.Serialization.Walk;

namespace Processional.Generators.Lambdas.Parsing;

/// <summary>The runtime and framework types that intercepted lambdas treat specially, recognized by name.</summary>
internal static class LambdaSymbols
{
    public const string SlaveProcess = "Processional.SlaveProcess";

    /// <summary>The names of <c>SlaveProcess</c>'s methods that take a lambda (the syntactic predicate's first test).</summary>
    public static bool IsSlaveMethodName(string name) =>
        name is "Invoke" or "InvokeAsync" or "WrapAsync" or "CreateAsync" or "RunThreadAsync";

    public static bool IsSlaveProcess(ITypeSymbol? type) => Is(type, SlaveProcess);

    public static bool IsRemoteHandle(ITypeSymbol type) => Is(type, "Processional.Remote`1");

    public static bool IsFunc(ITypeSymbol type) => Is(type, "System.Func`1");

    public static bool IsAction(ITypeSymbol type) => Is(type, "System.Action");

    /// <summary>
    /// Why a captured value of this type belongs to this process (a process, thread, connection, task or token), as the
    /// message's advice; <see langword="null"/> for other types.
    /// </summary>
    public static string? ProcessBoundAdvice(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return null;
        }

        switch (SymbolFacts.MetadataName(named))
        {
            case "System.Threading.CancellationToken":
            case "System.Threading.CancellationTokenSource":
                return "read RemoteCall.CancellationToken inside the lambda instead (it is canceled when the call is), and pass your token to the call itself: slave.InvokeAsync(() => ..., cancellationToken)";
            case "System.Threading.Tasks.Task":
            case "System.Threading.Tasks.Task`1":
            case "System.Threading.Tasks.ValueTask":
            case "System.Threading.Tasks.ValueTask`1":
                return "await it here and capture its result, or start the work inside the lambda";
            case "System.Threading.Thread":
                return "start the thread inside the lambda, or use slave.RunThreadAsync(() => ...)";
            case "Processional.SlaveProcess":
            case "Processional.SlaveThread":
            case "Processional.Rpc.RpcConnection":
            case "Processional.Transport.Connection":
                return "call it here, outside the lambda, and capture the data the lambda needs";
            default:
                return null;
        }
    }

    private static bool Is(ITypeSymbol? type, string metadataName) =>
        type is INamedTypeSymbol named && SymbolFacts.MetadataName(named) == metadataName;
}
