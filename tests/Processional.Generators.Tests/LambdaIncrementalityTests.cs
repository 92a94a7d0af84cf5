using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Processional.Generators.Lambdas;
using Processional.Generators.Tests.Infrastructure;
using SerializationTracking = Processional.Generators.Serialization.TrackingNames;

namespace Processional.Generators.Tests;

/// <summary>
/// The lambda generator's cache: a second run and an edit of another file recompute nothing into a different result;
/// an edit of one file rewrites only that file's interceptors; pipeline models hold only equatable data; the output is
/// the same under any culture.
/// </summary>
public sealed class LambdaIncrementalityTests
{
    private static readonly string[] s_steps = [TrackingNames.LambdaCalls, TrackingNames.AllLambdaFiles, TrackingNames.LambdaFiles];

    private const string Orders = """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Processional;

        namespace Shop;

        public sealed record Order(int Id, List<string> Lines);

        public static class OrderCalls
        {
            public static Task<int> CountAsync(SlaveProcess slave, Order order) => slave.InvokeAsync(() => order.Lines.Count);
        }
        """;

    private const string Clock = """
        using System;
        using System.Threading.Tasks;
        using Processional;

        namespace Shop;

        public static class ClockCalls
        {
            public static Task<long> NowAsync(SlaveProcess slave, int offset) => slave.InvokeAsync(() => DateTime.UtcNow.Ticks + offset);
        }
        """;

    private const string Plain = """
        namespace Shop;

        public static class Plain
        {
            public static int Twice(int x) => x * 2;
        }
        """;

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_second_run_recomputes_nothing()
    {
        var compilation = GeneratorHarness.CreateCompilation(Orders, Clock, Plain);
        var driver = GeneratorHarness.CreateAllDriver().RunGenerators(compilation);

        driver = driver.RunGenerators(compilation.Clone());

        var result = GeneratorHarness.ResultOf<LambdaGenerator>(driver.GetRunResult());
        Assert.Equal(["Test0.Lambdas.g.cs", "Test1.Lambdas.g.cs"], result.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
        PipelineAssert.AllCachedOrUnchanged(result, s_steps);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task An_edit_of_another_file_changes_no_output()
    {
        var compilation = GeneratorHarness.CreateCompilation(Orders, Clock, Plain);
        var driver = GeneratorHarness.CreateAllDriver().RunGenerators(compilation);

        var edited = Insert(compilation, "x * 2", " + 0")
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Other; public sealed class Unrelated { public int X; }", GeneratorHarness.ParseOptions, "Unrelated.cs"));
        driver = driver.RunGenerators(edited);

        var run = driver.GetRunResult();
        PipelineAssert.AllCachedOrUnchanged(GeneratorHarness.ResultOf<LambdaGenerator>(run), s_steps);
        PipelineAssert.AllCachedOrUnchanged(
            GeneratorHarness.ResultOf<Serialization.SerializationGenerator>(run),
            SerializationTracking.LambdaRoots, SerializationTracking.AllFormatters, SerializationTracking.Formatters);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Editing_one_file_rewrites_only_its_interceptors()
    {
        var compilation = GeneratorHarness.CreateCompilation(Orders, Clock, Plain);
        var driver = GeneratorHarness.CreateAllDriver().RunGenerators(compilation);

        driver = driver.RunGenerators(Insert(compilation, "DateTime.UtcNow.Ticks + offset", " + offset"));

        var result = GeneratorHarness.ResultOf<LambdaGenerator>(driver.GetRunResult());
        var files = result.TrackedSteps[TrackingNames.LambdaFiles].SelectMany(step => step.Outputs).ToList();
        var modified = Assert.Single(files, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("Test1.Lambdas", modified.Value.ToString(), StringComparison.Ordinal);
        Assert.Single(files, o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);

        var sources = result.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs).ToList();
        Assert.Single(sources, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Single(sources, o => o.Reason == IncrementalStepRunReason.Cached);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Changing_a_captured_type_rewrites_its_formatter_but_not_the_interceptors()
    {
        var ordersWithoutRecord = Orders.Replace("public sealed record Order(int Id, List<string> Lines);", string.Empty, StringComparison.Ordinal);
        const string Record = "using System.Collections.Generic; namespace Shop; public sealed record Order(int Id, List<string> Lines);";
        var compilation = GeneratorHarness.CreateCompilation(ordersWithoutRecord, Clock, Record);
        var driver = GeneratorHarness.CreateAllDriver().RunGenerators(compilation);

        driver = driver.RunGenerators(Insert(compilation, "List<string> Lines", ", string? Note = null"));

        var run = driver.GetRunResult();
        PipelineAssert.AllCachedOrUnchanged(GeneratorHarness.ResultOf<LambdaGenerator>(run), TrackingNames.AllLambdaFiles, TrackingNames.LambdaFiles);
        var formatters = GeneratorHarness.ResultOf<Serialization.SerializationGenerator>(run).TrackedSteps[SerializationTracking.Formatters].SelectMany(step => step.Outputs).ToList();
        var modified = Assert.Single(formatters, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("Shop.Order", modified.Value.ToString(), StringComparison.Ordinal);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Pipeline_models_hold_no_symbols_syntax_locations_or_arrays()
    {
        var compilation = GeneratorHarness.CreateCompilation(Orders, Clock, Plain);
        var run = GeneratorHarness.CreateAllDriver().RunGenerators(compilation).GetRunResult();

        var outputs = PipelineAssert.Outputs(GeneratorHarness.ResultOf<LambdaGenerator>(run), s_steps)
            .Concat(PipelineAssert.Outputs(GeneratorHarness.ResultOf<Serialization.SerializationGenerator>(run), SerializationTracking.LambdaRoots))
            .Where(o => o.Step != "SourceOutput")
            .ToList();
        Assert.Contains(outputs, o => o.Step == TrackingNames.LambdaCalls);
        Assert.Contains(outputs, o => o.Step == SerializationTracking.LambdaRoots);
        foreach (var (step, value, _) in outputs)
        {
            PipelineAssert.HoldsOnlyEquatableData(value, step);
        }

        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task The_output_is_the_same_under_any_culture()
    {
        var outputs = new List<string>();
        var saved = CultureInfo.CurrentCulture;
        try
        {
            foreach (var culture in new[] { "en-US", "tr-TR", "ar-SA" })
            {
                CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
                var (result, _) = GeneratorHarness.RunAllGenerators(GeneratorHarness.CreateCompilation(Orders, Clock));
                outputs.Add(Baseline.Render(GeneratorHarness.ResultOf<LambdaGenerator>(result)));
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = saved;
        }

        Assert.Single(outputs.Distinct(StringComparer.Ordinal));
        Assert.Contains("CallLambdaAsync<long>", outputs[0], StringComparison.Ordinal);
        return Task.CompletedTask;
    }

    /// <summary>The compilation with <paramref name="text"/> inserted after the first occurrence of <paramref name="after"/> in the file that holds it.</summary>
    private static Compilation Insert(Compilation compilation, string after, string text)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.GetText().ToString().Contains(after, StringComparison.Ordinal));
        var source = tree.GetText();
        var at = source.ToString().IndexOf(after, StringComparison.Ordinal) + after.Length;
        return compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(source.WithChanges(new TextChange(new TextSpan(at, 0), text))));
    }
}
