using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Processional.Generators.Remote.Parsing;

namespace Processional.Generators.Remote;

/// <summary>
/// Generates, for every interface marked <c>[Remote]</c>, a proxy (the caller's side) and a dispatcher (the callee's
/// side), registered with <c>RemoteInterfaceRegistry</c> from a module initializer, in one file per interface. An
/// interface with a problem is skipped; <see cref="RemoteAnalyzer"/> reports the problem. The types that the
/// interfaces send by value get their formatters from the serialization generator, which takes them as roots.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class RemoteGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var interfaces = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                RemoteSymbols.RemoteAttribute,
                static (node, _) => node is InterfaceDeclarationSyntax,
                static (attributeContext, cancellationToken) => GetModel(attributeContext, cancellationToken))
            .WithTrackingName(TrackingNames.RemoteInterfaces);

        // Each interface's model goes to its own file, compared by value: an edit to one interface rewrites its file only.
        var files = interfaces
            .Collect()
            .Select(static (models, _) => OrderAndMakeUnique(models))
            .WithTrackingName(TrackingNames.AllRemoteInterfaces)
            .SelectMany(static (all, _) => all)
            .WithTrackingName(TrackingNames.RemoteFiles);

        context.RegisterSourceOutput(files, static (output, model) => Emit(output, model));
    }
}
