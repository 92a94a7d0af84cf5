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

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

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

    /// <summary>A driver for the serialization generator that tracks its steps, for running once or again on an edited compilation.</summary>
    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        new[] { new SerializationGenerator().AsSourceGenerator() },
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once; returns its result and the compilation with the generated files added.</summary>
    public static (GeneratorRunResult Result, Compilation Output) RunGenerator(Compilation compilation)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        return (driver.GetRunResult().Results.Single(), output);
    }

    /// <summary>The generated files, by hint name.</summary>
    public static IReadOnlyDictionary<string, string> GeneratedSources(GeneratorRunResult result) =>
        result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

    /// <summary>Runs the serialization analyzer; returns its diagnostics, ordered by position.</summary>
    public static async Task<ImmutableArray<Diagnostic>> RunAnalyzerAsync(Compilation compilation)
    {
        var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new SerializationAnalyzer()));
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
