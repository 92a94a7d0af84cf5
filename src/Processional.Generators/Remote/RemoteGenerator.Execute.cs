using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Processional.Generators.Helpers;
using Processional.Generators.Remote.Emit;
using Processional.Generators.Remote.Models;
using Processional.Generators.Remote.Parsing;

namespace Processional.Generators.Remote;

/// <summary>The work behind the pipeline of <see cref="RemoteGenerator"/>.</summary>
public sealed partial class RemoteGenerator
{
    /// <summary>The model of the [Remote] interface, or null when it has a problem (the analyzer reports it).</summary>
    private static RemoteInterfaceModel? GetModel(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        context.TargetSymbol is INamedTypeSymbol { TypeKind: TypeKind.Interface } type
            ? RemoteInterfaceParser.Parse(type, context.SemanticModel.Compilation, sink: null, cancellationToken)
            : null;

    private static EquatableArray<RemoteInterfaceModel> OrderAndMakeUnique(ImmutableArray<RemoteInterfaceModel?> models) =>
        HintNames.OrderAndMakeUnique(
            models.OfType<RemoteInterfaceModel>().GroupBy(static m => m.TypeName).Select(static g => g.First()),
            static m => m.HintName,
            static (m, hintName) => m with { HintName = hintName });

    private static void Emit(SourceProductionContext context, RemoteInterfaceModel model)
    {
        context.CancellationToken.ThrowIfCancellationRequested();
        context.AddSource(model.HintName + ".g.cs", SourceText.From(RemoteEmitter.Emit(model), Encoding.UTF8));
    }
}
