using Microsoft.CodeAnalysis;

namespace Processional.Generators.Serialization;

/// <summary>
/// Generates a formatter for every user type that a root needs serialized, and registers it from a module initializer.
/// The roots of this issue are calls of <c>ProcessionalSerializer.Serialize&lt;T&gt;</c>/<c>Deserialize&lt;T&gt;</c>; later kinds of
/// roots ([Remote] signatures, lambda captures) add their own providers of formatter sets to <see cref="Initialize"/>,
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
                static (syntaxContext, cancellationToken) => GetSerializerCallFormatters(syntaxContext, cancellationToken))
            .Where(static formatters => !formatters.IsEmpty)
            .WithTrackingName(TrackingNames.SerializerCallRoots);

        // Later roots: .Collect() their providers the same way and pass them all to CombineFormatterSets.
        var formatters = CombineFormatterSets(serializerCalls.Collect())
            .SelectMany(static (all, _) => Deduplicate(all))
            .WithTrackingName(TrackingNames.Formatters);

        context.RegisterSourceOutput(formatters, static (output, formatter) => Emit(output, formatter));
    }
}
