using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Processional.Generators.Helpers;
using Processional.Generators.Remote.Emit;
using Processional.Generators.Remote.Models;
using Processional.Generators.Remote.Parsing;

namespace Processional.Generators.Remote;

/// <summary>
/// Registers the program's exception types with <c>RemoteExceptions</c>, one file each, so that an exception thrown by
/// the peer (which runs the same program) is re-thrown here with its own type rather than as a <c>RemoteException</c>.
/// A separate generator from <see cref="RemoteGenerator"/>, so that the two kinds of files never share a hint name.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class RemoteExceptionGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Without the runtime there is nothing to register with (and nothing to call remotely).
        var runtimeReferenced = context.CompilationProvider
            .Select(static (compilation, _) => compilation.GetTypeByMetadataName(RemoteSymbols.RemoteExceptions) is not null)
            .WithTrackingName(TrackingNames.RuntimeReferenced);

        var types = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => ExceptionTypes.IsCandidate(node),
                static (syntaxContext, cancellationToken) => ExceptionTypes.GetModel(syntaxContext, cancellationToken))
            .WithTrackingName(TrackingNames.ExceptionTypes);

        var files = types
            .Collect()
            .Combine(runtimeReferenced)
            .Select(static (input, _) => input.Right ? OrderAndMakeUnique(input.Left) : EquatableArray<ExceptionTypeModel>.Empty)
            .WithTrackingName(TrackingNames.AllExceptionTypes)
            .SelectMany(static (all, _) => all)
            .WithTrackingName(TrackingNames.ExceptionFiles);

        context.RegisterSourceOutput(files, static (output, model) =>
        {
            output.CancellationToken.ThrowIfCancellationRequested();
            output.AddSource(model.HintName + ".g.cs", SourceText.From(ExceptionRegistrationEmitter.Emit(model), Encoding.UTF8));
        });
    }

    /// <summary>One model per type (a partial class is found once per declaration with a base list), in hint-name order.</summary>
    private static EquatableArray<ExceptionTypeModel> OrderAndMakeUnique(ImmutableArray<ExceptionTypeModel?> models) =>
        HintNames.OrderAndMakeUnique(
            models.OfType<ExceptionTypeModel>().GroupBy(static m => m.TypeName).Select(static g => g.First()),
            static m => m.HintName,
            static (m, hintName) => m with { HintName = hintName });
}
