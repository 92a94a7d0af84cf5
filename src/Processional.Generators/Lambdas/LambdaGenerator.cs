using Microsoft.CodeAnalysis;

namespace Processional.Generators.Lambdas;

/// <summary>
/// Intercepts the calls that ship lambdas to other processes — <c>SlaveProcess.Invoke</c>, <c>InvokeAsync</c>,
/// <c>WrapAsync</c>, <c>CreateAsync</c>, <c>RunThreadAsync</c> with a lambda written at the call, and calls of any method
/// whose delegate parameter is marked <c>[Remote]</c> — and writes, for each lambda, a <c>RemoteLambda</c> that writes
/// and reads its captured variables and runs it in the other process. One generated file per source file. A call with a
/// problem is left alone; <see cref="LambdaAnalyzer"/> reports it. The types the lambdas send by value get their
/// formatters from the serialization generator, which takes them as roots.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class LambdaGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var calls = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, cancellationToken) => Parsing.LambdaCallParser.IsCandidate(node, cancellationToken),
                static (syntaxContext, cancellationToken) => GetModel(syntaxContext, cancellationToken))
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.LambdaCalls);

        // One file per source file, compared by value: editing a file rewrites its interceptors only.
        var files = calls
            .Collect()
            .Select(static (models, _) => GroupByFile(models))
            .WithTrackingName(TrackingNames.AllLambdaFiles)
            .SelectMany(static (all, _) => all)
            .WithTrackingName(TrackingNames.LambdaFiles);

        context.RegisterSourceOutput(files, static (output, file) => Emit(output, file));
    }
}
