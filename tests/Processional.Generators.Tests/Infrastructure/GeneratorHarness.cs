using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Processional.Generators.Serialization;
using Processional.Serialization;

namespace Processional.Generators.Tests.Infrastructure;

/// <summary>
/// Compiles test sources against the running framework and Processional's runtime, runs the generator (with step
/// tracking) and the analyzer on them. Microsoft.CodeAnalysis.Testing is not available here; this is the small part of
/// it these tests need.
/// </summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(CreateReferences);

    /// <summary>The latest language, with the generated interceptors' namespace allowed (as the runtime's build props do).</summary>
    public static CSharpParseOptions ParseOptions { get; } = new CSharpParseOptions(LanguageVersion.Latest)
        .WithFeatures([new KeyValuePair<string, string>("InterceptorsNamespaces", "Processional.Generated")]);

    /// <summary>Compiles <paramref name="sources"/> (files <c>Test0.cs</c>, <c>Test1.cs</c>...) into a library, nullable enabled.</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources)
    {
        var trees = sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Test{i}.cs"));
        return CSharpCompilation.Create(
            "TestAssembly",
            trees,
            s_references.Value,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                warningLevel: 9999,
                allowUnsafe: true,
                deterministic: true));
    }

    /// <summary>Compiles <paramref name="sources"/> into a console program (for top-level statements), nullable enabled.</summary>
    public static CSharpCompilation CreateExecutable(params string[] sources) =>
        CreateCompilation(sources).WithOptions(CreateCompilation().Options.WithOutputKind(OutputKind.ConsoleApplication));

    /// <summary>
    /// A driver that tracks its steps, for running once or again on an edited compilation: of the serialization generator
    /// unless <paramref name="generators"/> are given.
    /// </summary>
    public static GeneratorDriver CreateDriver(params IIncrementalGenerator[] generators) => CSharpGeneratorDriver.Create(
        (generators.Length == 0 ? [new SerializationGenerator()] : generators).Select(g => g.AsSourceGenerator()),
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>A driver of every generator: serialization, [Remote] interfaces, exception registrations, lambdas.</summary>
    public static GeneratorDriver CreateAllDriver() =>
        CreateDriver(new SerializationGenerator(), new Remote.RemoteGenerator(), new Remote.RemoteExceptionGenerator(), new Lambdas.LambdaGenerator());

    /// <summary>Runs the serialization generator once; returns its result and the compilation with the generated files added.</summary>
    public static (GeneratorRunResult Result, Compilation Output) RunGenerator(Compilation compilation)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        return (driver.GetRunResult().Results.Single(), output);
    }

    /// <summary>Runs every generator once; returns their results (serialization, remote, exceptions) and the compilation with the generated files added.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) RunAllGenerators(Compilation compilation)
    {
        var driver = CreateAllDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        return (driver.GetRunResult(), output);
    }

    /// <summary>The result of the generator of type <typeparamref name="T"/> in a run of several.</summary>
    public static GeneratorRunResult ResultOf<T>(GeneratorDriverRunResult run) =>
        run.Results.Single(r => r.Generator.GetGeneratorType() == typeof(T));

    /// <summary>The generated files, by hint name.</summary>
    public static IReadOnlyDictionary<string, string> GeneratedSources(GeneratorRunResult result) =>
        result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

    /// <summary>Runs the serialization analyzer (or the given ones); returns the diagnostics, ordered by position.</summary>
    public static async Task<ImmutableArray<Diagnostic>> RunAnalyzerAsync(Compilation compilation, params DiagnosticAnalyzer[] analyzers)
    {
        var withAnalyzers = compilation.WithAnalyzers(analyzers.Length == 0 ? [new SerializationAnalyzer()] : [.. analyzers]);
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync().ConfigureAwait(false);
        return diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal).ToImmutableArray();
    }

    /// <summary>The compiler's diagnostics of warning severity or above, formatted for an assertion message.</summary>
    public static IReadOnlyList<string> WarningsAndErrors(Compilation compilation) => compilation.GetDiagnostics()
        .Where(d => d.Severity >= DiagnosticSeverity.Warning)
        .Select(d => d.ToString())
        .ToList();

    private static ImmutableArray<MetadataReference> CreateReferences()
    {
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return trusted
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) ||
                Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(ProcessionalSerializer).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}
