using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Processional.Generators.Serialization;
using Processional.Generators.Tests.Infrastructure;

namespace Processional.Generators.Tests;

/// <summary>
/// The generator's cache: nothing is recomputed into a different result when nothing relevant changed, and a change to
/// one serializable type regenerates only that type's file.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly string[] s_steps = [TrackingNames.SerializerCallRoots, TrackingNames.AllFormatters, TrackingNames.Formatters];

    private const string Types = """
        using System.Collections.Generic;

        namespace Shop;

        public sealed class Person { public int Age { get; set; } public string? Name { get; set; } }
        public sealed record Line(int Quantity, string Sku);
        public sealed class Order { public int Id { get; set; } public List<Line>? Lines { get; set; } public Person? Buyer { get; set; } }
        public abstract class Shape { }
        public sealed class Circle : Shape { public double Radius { get; set; } }
        """;

    private const string Calls = """
        using Processional.Serialization;

        namespace Shop;

        public static class Use
        {
            public static void Run(Order order, Shape shape, byte[] bytes)
            {
                ProcessionalSerializer.Serialize(order);
                ProcessionalSerializer.Serialize(shape);
                ProcessionalSerializer.Deserialize<Order>(bytes);
                ProcessionalSerializer.Deserialize<Person>(bytes);
            }
        }
        """;

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_second_run_recomputes_nothing()
    {
        var compilation = GeneratorHarness.CreateCompilation(Types, Calls);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        driver = driver.RunGenerators(compilation.Clone());

        var result = driver.GetRunResult().Results.Single();
        Assert.Equal(5, result.GeneratedSources.Length);
        PipelineAssert.AllCachedOrUnchanged(result, s_steps);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task An_unrelated_class_in_another_file_or_a_comment_changes_no_output()
    {
        var compilation = GeneratorHarness.CreateCompilation(Types, Calls);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var typesTree = compilation.SyntaxTrees.First();

        var edited = compilation
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Other; public sealed class Unrelated { public int X; }", GeneratorHarness.ParseOptions, "Unrelated.cs"))
            .ReplaceSyntaxTree(typesTree, typesTree.WithChangedText(typesTree.GetText().Replace(0, 0, "// A comment.\n")));
        driver = driver.RunGenerators(edited);

        PipelineAssert.AllCachedOrUnchanged(driver.GetRunResult().Results.Single(), s_steps);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Changing_a_serializable_type_regenerates_only_its_file()
    {
        var compilation = GeneratorHarness.CreateCompilation(Types, Calls);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var typesTree = compilation.SyntaxTrees.First();
        var text = typesTree.GetText();
        var edited = compilation.ReplaceSyntaxTree(
            typesTree,
            typesTree.WithChangedText(text.WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(
                new Microsoft.CodeAnalysis.Text.TextSpan(text.ToString().IndexOf("public string? Name", StringComparison.Ordinal), 0),
                "public string? Email { get; set; } "))));

        driver = driver.RunGenerators(edited);

        var result = driver.GetRunResult().Results.Single();
        var formatters = PipelineAssert.Outputs(result, TrackingNames.Formatters).Where(o => o.Step == TrackingNames.Formatters).ToList();
        var modified = Assert.Single(formatters, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("Shop.Person", modified.Value.ToString(), StringComparison.Ordinal);
        Assert.All(formatters.Where(o => !ReferenceEquals(o.Value, modified.Value)), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));

        var sources = result.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs).ToList();
        Assert.Single(sources, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Equal(4, sources.Count(o => o.Reason == IncrementalStepRunReason.Cached));
        Assert.Contains("Email", result.GeneratedSources.Single(s => s.HintName == "Shop.Person.g.cs").SourceText.ToString(), StringComparison.Ordinal);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Pipeline_models_hold_no_symbols_syntax_locations_or_arrays()
    {
        var compilation = GeneratorHarness.CreateCompilation(Types, Calls);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var result = driver.GetRunResult().Results.Single();

        var outputs = PipelineAssert.Outputs(result, s_steps).Where(o => o.Step != "SourceOutput").ToList();
        Assert.Contains(outputs, o => o.Step == TrackingNames.SerializerCallRoots);
        Assert.Contains(outputs, o => o.Step == TrackingNames.Formatters);
        foreach (var (step, value, _) in outputs)
        {
            PipelineAssert.HoldsOnlyEquatableData(value, step);
        }

        return Task.CompletedTask;
    }
}
