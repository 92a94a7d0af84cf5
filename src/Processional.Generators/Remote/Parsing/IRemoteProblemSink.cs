using Microsoft.CodeAnalysis;

namespace Processional.Generators.Remote.Parsing;

/// <summary>
/// Where <see cref="RemoteInterfaceParser"/> reports what it cannot support: the analyzer's diagnostics. The generator
/// passes none; it only needs to know that something is wrong, and then skips the interface.
/// </summary>
internal interface IRemoteProblemSink
{
    /// <summary>Reports a diagnostic at <paramref name="location"/>.</summary>
    void Report(DiagnosticDescriptor descriptor, Location location, params object[] arguments);

    /// <summary>Walks <paramref name="type"/> as the serializer would and reports what cannot be serialized, with member paths from <paramref name="path"/>.</summary>
    void CheckSerializable(ITypeSymbol type, string path, Location location);
}
