using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Processional.Generators.Remote.Parsing;

namespace Processional.Generators.Serialization;

/// <summary>
/// Generates a formatter for every user type that a root needs serialized, and registers it from a module initializer.
/// The roots are calls of <c>ProcessionalSerializer</c>'s generic methods, the signatures of [Remote] interfaces, and the
/// captures and results of lambdas shipped to other processes; later kinds of roots add their own providers of <see cref="Models.RootModel"/>s to <see cref="Initialize"/>
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

        // The captured variables and results that lambdas shipped to other processes send by value.
        var lambdaCaptures = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, cancellationToken) => Lambdas.Parsing.LambdaCallParser.IsCandidate(node, cancellationToken),
                static (syntaxContext, cancellationToken) => GetLambdaRoots(syntaxContext, cancellationToken))
            .SelectMany(static (roots, _) => roots)
            .WithTrackingName(TrackingNames.LambdaRoots);

        // Later kinds of roots: pass their collected RootModels to CombineRoots as well.
        var roots = CombineRoots(serializerCalls.Collect(), remoteSignatures.Collect(), lambdaCaptures.Collect());

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
