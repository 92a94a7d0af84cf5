using Microsoft.CodeAnalysis;

namespace Processional.Generators.Lambdas.Parsing;

/// <summary>What a value sent by value is, for the messages of problems the serializer's walk finds in it.</summary>
internal enum SerializedRole
{
    /// <summary>A captured variable.</summary>
    Capture,

    /// <summary>The enclosing instance, captured as <c>this</c>.</summary>
    This,

    /// <summary>The lambda's result.</summary>
    Result,
}

/// <summary>
/// Where <see cref="LambdaCallParser"/> reports what it cannot support: the analyzer's diagnostics. The generator passes
/// none; it only needs to know that a call site has a problem, and then leaves it alone.
/// </summary>
internal interface ILambdaProblemSink
{
    /// <summary>Reports a diagnostic at <paramref name="location"/>.</summary>
    void Report(DiagnosticDescriptor descriptor, Location location, params object[] arguments);

    /// <summary>Walks <paramref name="type"/> as the serializer would and reports what cannot be serialized, with member paths from <paramref name="path"/>.</summary>
    void CheckSerializable(ITypeSymbol type, string path, Location location, SerializedRole role);
}
