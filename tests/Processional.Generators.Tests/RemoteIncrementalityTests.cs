using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Processional.Generators.Remote;
using Processional.Generators.Tests.Infrastructure;
using SerializationTracking = Processional.Generators.Serialization.TrackingNames;

namespace Processional.Generators.Tests;

/// <summary>
/// The [Remote] generators' cache: a second run and an unrelated edit recompute nothing into a different result; an edit
/// to one interface (or exception type) rewrites only its own file.
/// </summary>
public sealed class RemoteIncrementalityTests
{
    private static readonly string[] s_remoteSteps = [TrackingNames.RemoteInterfaces, TrackingNames.AllRemoteInterfaces, TrackingNames.RemoteFiles];

    private static readonly string[] s_exceptionSteps = [TrackingNames.RuntimeReferenced, TrackingNames.ExceptionTypes, TrackingNames.AllExceptionTypes, TrackingNames.ExceptionFiles];

    private const string Interfaces = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Processional;

        namespace Shop;

        public sealed record Order(int Id, List<string> Lines);

        [Remote]
        public interface IOrders
        {
            Task<Order?> GetAsync(int id, CancellationToken cancellationToken = default);
            Task SaveAsync(Order order);
        }

        [Remote]
        public interface IClock
        {
            long Now();
        }
        """;

    private const string Exceptions = """
        using System;

        namespace Shop;

        public sealed class OrderRejectedException(string message, Exception? inner) : Exception(message, inner);

        public sealed class QuotaException(string message) : Exception(message);
        """;

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_second_run_recomputes_nothing()
    {
        var compilation = GeneratorHarness.CreateCompilation(Interfaces, Exceptions);
        var driver = GeneratorHarness.CreateAllDriver().RunGenerators(compilation);

        driver = driver.RunGenerators(compilation.Clone());

        var run = driver.GetRunResult();
        Assert.Equal(2, GeneratorHarness.ResultOf<RemoteGenerator>(run).GeneratedSources.Length);
        Assert.Equal(2, GeneratorHarness.ResultOf<RemoteExceptionGenerator>(run).GeneratedSources.Length);
        PipelineAssert.AllCachedOrUnchanged(GeneratorHarness.ResultOf<RemoteGenerator>(run), s_remoteSteps);
        PipelineAssert.AllCachedOrUnchanged(GeneratorHarness.ResultOf<RemoteExceptionGenerator>(run), s_exceptionSteps);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task An_unrelated_edit_changes_no_output()
    {
        var compilation = GeneratorHarness.CreateCompilation(Interfaces, Exceptions);
        var driver = GeneratorHarness.CreateAllDriver().RunGenerators(compilation);
        var interfacesTree = compilation.SyntaxTrees.First();
        var exceptionsTree = compilation.SyntaxTrees.Last();

        var edited = compilation
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Other; public sealed class Unrelated { public int X; }", GeneratorHarness.ParseOptions, "Unrelated.cs"))
            .ReplaceSyntaxTree(interfacesTree, interfacesTree.WithChangedText(interfacesTree.GetText().Replace(0, 0, "// A comment.\n")))
            .ReplaceSyntaxTree(exceptionsTree, exceptionsTree.WithChangedText(exceptionsTree.GetText().Replace(0, 0, "// Another.\n")));
        driver = driver.RunGenerators(edited);

        var run = driver.GetRunResult();
        PipelineAssert.AllCachedOrUnchanged(GeneratorHarness.ResultOf<RemoteGenerator>(run), s_remoteSteps);

        // The per-declaration step sees the edited file's nodes as removed and new ones (a syntax provider tracks nodes);
        // their models are equal, so everything after it is unchanged.
        PipelineAssert.AllCachedOrUnchanged(GeneratorHarness.ResultOf<RemoteExceptionGenerator>(run), s_exceptionSteps.Except([TrackingNames.ExceptionTypes]).ToArray());
        PipelineAssert.AllCachedOrUnchanged(
            GeneratorHarness.ResultOf<Serialization.SerializationGenerator>(run),
            SerializationTracking.RemoteSignatureRoots, SerializationTracking.AllFormatters, SerializationTracking.Formatters);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Editing_one_interface_rewrites_only_its_file()
    {
        var compilation = GeneratorHarness.CreateCompilation(Interfaces, Exceptions);
        var driver = GeneratorHarness.CreateAllDriver().RunGenerators(compilation);

        driver = driver.RunGenerators(Insert(compilation, "long Now();", " Task<int> ZoneAsync();"));

        var result = GeneratorHarness.ResultOf<RemoteGenerator>(driver.GetRunResult());
        var files = result.TrackedSteps[TrackingNames.RemoteFiles].SelectMany(step => step.Outputs).ToList();
        var modified = Assert.Single(files, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("Shop.IClock", modified.Value.ToString(), StringComparison.Ordinal);
        Assert.Single(files, o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);

        var sources = result.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs).ToList();
        Assert.Single(sources, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Single(sources, o => o.Reason == IncrementalStepRunReason.Cached);
        Assert.Contains("ZoneAsync", result.GeneratedSources.Single(s => s.HintName == "Shop.IClock.g.cs").SourceText.ToString(), StringComparison.Ordinal);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Editing_a_base_interface_in_another_file_rewrites_the_derived_interfaces_file()
    {
        var compilation = GeneratorHarness.CreateCompilation(
            "namespace Shop; public interface IBase { int Version(); }",
            "namespace Shop; [Processional.Remote] public interface IDerived : IBase { void Ping(); }");
        var driver = GeneratorHarness.CreateAllDriver().RunGenerators(compilation);

        driver = driver.RunGenerators(Insert(compilation, "int Version();", " string Name();"));

        var result = GeneratorHarness.ResultOf<RemoteGenerator>(driver.GetRunResult());
        Assert.Contains(
            result.TrackedSteps[TrackingNames.RemoteFiles].SelectMany(step => step.Outputs),
            o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("string global::Shop.IBase.Name()", result.GeneratedSources.Single().SourceText.ToString(), StringComparison.Ordinal);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Changing_a_type_an_interface_sends_rewrites_its_formatter_but_not_the_proxy()
    {
        var compilation = GeneratorHarness.CreateCompilation(Interfaces, Exceptions);
        var driver = GeneratorHarness.CreateAllDriver().RunGenerators(compilation);

        driver = driver.RunGenerators(Insert(compilation, "List<string> Lines", ", string? Note = null"));

        var run = driver.GetRunResult();
        PipelineAssert.AllCachedOrUnchanged(GeneratorHarness.ResultOf<RemoteGenerator>(run), s_remoteSteps);
        var serialization = GeneratorHarness.ResultOf<Serialization.SerializationGenerator>(run);
        var formatters = serialization.TrackedSteps[SerializationTracking.Formatters].SelectMany(step => step.Outputs).ToList();
        var modified = Assert.Single(formatters, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("Shop.Order", modified.Value.ToString(), StringComparison.Ordinal);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Editing_one_exception_type_rewrites_only_its_file()
    {
        var compilation = GeneratorHarness.CreateCompilation(Interfaces, Exceptions);
        var driver = GeneratorHarness.CreateAllDriver().RunGenerators(compilation);

        // QuotaException gains a (string, Exception) constructor: its registration passes the inner exception now.
        driver = driver.RunGenerators(Insert(compilation, "(string message) : Exception(message)", " { public QuotaException(string message, Exception inner) : this(message) { } }", replaceSemicolon: true));

        var result = GeneratorHarness.ResultOf<RemoteExceptionGenerator>(driver.GetRunResult());
        var sources = result.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs).ToList();
        Assert.Single(sources, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Single(sources, o => o.Reason == IncrementalStepRunReason.Cached);
        Assert.Contains("(message, inner)", result.GeneratedSources.Single(s => s.HintName == "Shop.QuotaException.g.cs").SourceText.ToString(), StringComparison.Ordinal);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Pipeline_models_hold_no_symbols_syntax_locations_or_arrays()
    {
        var compilation = GeneratorHarness.CreateCompilation(Interfaces, Exceptions);
        var run = GeneratorHarness.CreateAllDriver().RunGenerators(compilation).GetRunResult();

        var outputs = PipelineAssert.Outputs(GeneratorHarness.ResultOf<RemoteGenerator>(run), s_remoteSteps)
            .Concat(PipelineAssert.Outputs(GeneratorHarness.ResultOf<RemoteExceptionGenerator>(run), s_exceptionSteps))
            .Concat(PipelineAssert.Outputs(GeneratorHarness.ResultOf<Serialization.SerializationGenerator>(run), SerializationTracking.RemoteSignatureRoots))
            .Where(o => o.Step != "SourceOutput")
            .ToList();
        Assert.Contains(outputs, o => o.Step == TrackingNames.RemoteFiles);
        Assert.Contains(outputs, o => o.Step == TrackingNames.ExceptionFiles);
        Assert.Contains(outputs, o => o.Step == SerializationTracking.RemoteSignatureRoots);
        foreach (var (step, value, _) in outputs)
        {
            PipelineAssert.HoldsOnlyEquatableData(value, step);
        }

        return Task.CompletedTask;
    }

    /// <summary>The compilation with <paramref name="text"/> inserted after the first occurrence of <paramref name="after"/> in the file that holds it.</summary>
    private static Compilation Insert(Compilation compilation, string after, string text, bool replaceSemicolon = false)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.GetText().ToString().Contains(after, StringComparison.Ordinal));
        var source = tree.GetText();
        var at = source.ToString().IndexOf(after, StringComparison.Ordinal) + after.Length;
        var change = replaceSemicolon && source.ToString()[at] == ';' ? new TextChange(new TextSpan(at, 1), text) : new TextChange(new TextSpan(at, 0), text);
        return compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(source.WithChanges(change)));
    }
}
