using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Processional.Generators.Remote.Parsing;

namespace Processional.Generators.Serialization;

/// <summary>
/// Generates a formatter for every user type that a root needs serialized, and registers it from a module initializer.
/// The roots are calls of <c>ProcessionalSerializer</c>'s generic methods and the signatures of [Remote] interfaces; later
/// kinds of roots (lambda captures) add their own providers of <see cref="Models.RootModel"/>s to <see cref="Initialize"/>
/// and share the walk, the de-duplication and the emitter.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class SerializationGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var serializerCalls = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => Roots.SerializerCallRoots.IsCandidate(node),
                static (syntaxContext, cancellationToken) => GetSerializerCallRoot(syntaxContext, cancellationToken))
            .Where(static root => root is not null)
            .Select(static (root, _) => root!)
            .WithTrackingName(TrackingNames.SerializerCallRoots);

        // The parameter and result types of [Remote] interfaces, which their proxies and dispatchers send by value.
        var remoteSignatures = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                RemoteSymbols.RemoteAttribute,
                static (node, _) => node is InterfaceDeclarationSyntax,
                static (attributeContext, cancellationToken) => GetRemoteSignatureRoots(attributeContext, cancellationToken))
            .SelectMany(static (roots, _) => roots)
            .WithTrackingName(TrackingNames.RemoteSignatureRoots);

        // Later kinds of roots: pass their collected RootModels to CombineRoots as well.
        var roots = CombineRoots(serializerCalls.Collect(), remoteSignatures.Collect());

        // One walk over the graph of every root's types per compilation; each formatter then goes to its own file,
        // compared by value, so that only the files of changed types are written again.
        var formatters = roots
            .Combine(context.CompilationProvider)
            .Select(static (input, cancellationToken) => CollectFormatters(input.Left, input.Right, cancellationToken))
            .WithTrackingName(TrackingNames.AllFormatters)
            .SelectMany(static (all, _) => all)
            .WithTrackingName(TrackingNames.Formatters);

        context.RegisterSourceOutput(formatters, static (output, formatter) => Emit(output, formatter));
    }
}
