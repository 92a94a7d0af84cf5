using System.Globalization;
using Microsoft.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;
using Processional.Generators.Remote;
using Processional.Generators.Tests.Infrastructure;

namespace Processional.Generators.Tests;

/// <summary>
/// Properties of the [Remote] generator's output as a whole: method ids (their canonical signatures, their hash, their
/// stability), warning-free and deterministic code.
/// </summary>
public sealed partial class RemoteGeneratedCodeTests
{
    private const string Sample = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Processional;

        namespace Shop.Çà
        {
            public sealed record Item(string Sku);
            public struct Point { public int X; public int Y; }
            public static class Outer<T> { public sealed class Inner { public T? Value { get; set; } } }

            [Remote]
            public interface ISignatures
            {
                void Plain();
                Task<int> Primitives(int a, long b, bool c, char d, double e, decimal f, string g);
                Task Collections(List<Item> items, Dictionary<string, int[]> map, int[,] grid, byte[][] jagged);
                Task Nullables(int? a, string? b, Item? c, List<string?>? d);
                Task Tuples((int Id, string Name) pair, (int A, int B, int C, int D, int E, int F, int G, int H) eight);
                Task Nested(Outer<Point>.Inner inner, Point point);
                Task Tokens(IProgress<Item> progress, CancellationToken cancellationToken);
                string Name { get; }
                Item this[int index, string key] { get; }
            }
        }
        """;

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Method_ids_hash_the_documented_canonical_signatures()
    {
        var members = Ids(Generate(Sample));

        string[] expected =
            [
                "Shop.Çà.ISignatures.Plain()",
                "Shop.Çà.ISignatures.Primitives(System.Int32,System.Int64,System.Boolean,System.Char,System.Double,System.Decimal,System.String)",
                "Shop.Çà.ISignatures.Collections(System.Collections.Generic.List<Shop.Çà.Item>,System.Collections.Generic.Dictionary<System.String,System.Int32[]>,System.Int32[,],System.Byte[][])",
                "Shop.Çà.ISignatures.Nullables(System.Nullable<System.Int32>,System.String,Shop.Çà.Item,System.Collections.Generic.List<System.String>)",
                "Shop.Çà.ISignatures.Tuples(System.ValueTuple<System.Int32,System.String>,System.ValueTuple<System.Int32,System.Int32,System.Int32,System.Int32,System.Int32,System.Int32,System.Int32,System.ValueTuple<System.Int32>>)",
                "Shop.Çà.ISignatures.Nested(Shop.Çà.Outer<Shop.Çà.Point>.Inner,Shop.Çà.Point)",
                "Shop.Çà.ISignatures.Tokens(System.IProgress<Shop.Çà.Item>,System.Threading.CancellationToken)",
                "Shop.Çà.ISignatures.get_Name()",
                "Shop.Çà.ISignatures.get_Item(System.Int32,System.String)",
            ];
        Assert.Equal(expected.Length, members.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], members[i].Signature);
        }

        Assert.All(members, m => Assert.Equal(Fnv1a(m.Signature), m.Id));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_known_signature_has_the_known_id()
    {
        // Computed independently: FNV-1a 32 of the UTF-8 bytes.
        Assert.Equal(0x36AA8538u, Fnv1a("Shop.ICalculator.AddAsync(System.Int32,System.Int32)"));

        var members = Ids(Generate("""
            using System.Threading.Tasks;
            namespace Shop;
            [Processional.Remote] public interface ICalculator { Task<int> AddAsync(int a, int b); }
            """));

        Assert.Equal(0x36AA8538u, Assert.Single(members).Id);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Reordering_renaming_parameters_and_adding_members_keep_every_id()
    {
        var before = Ids(Generate("""
            using System.Threading.Tasks;
            namespace Shop;
            [Processional.Remote] public interface IStore { Task<int> GetAsync(int id); Task PutAsync(string key, int value); int Count(); }
            """));
        var after = Ids(Generate("""
            using System.Threading.Tasks;
            namespace Shop;
            [Processional.Remote] public interface IStore { int Count(); Task RemoveAsync(string key); Task PutAsync(string name, int amount); Task<int> GetAsync(int key); }
            """));

        Assert.All(before, m => Assert.Contains(m, after));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public async Task Generated_code_compiles_without_warnings_and_the_analyzers_are_silent()
    {
        var compilation = GeneratorHarness.CreateCompilation(Sample);

        var (_, output) = GeneratorHarness.RunAllGenerators(compilation);

        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.Empty(await GeneratorHarness.RunAnalyzerAsync(compilation, new RemoteAnalyzer(), new Serialization.SerializationAnalyzer()));
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Output_is_the_same_on_every_run_and_under_any_culture()
    {
        var first = Generate(Sample);
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("tr-TR");
            var turkish = Generate(Sample);
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("ar-SA");
            var arabic = Generate(Sample);

            Assert.Equal(first, turkish);
            Assert.Equal(first, arabic);
        }
        finally
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
        }

        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Every_file_starts_with_the_generated_header_and_has_unix_line_ends()
    {
        var (result, _) = GeneratorHarness.RunAllGenerators(GeneratorHarness.CreateCompilation(Sample + """

            namespace Shop { public sealed class FailedException(string message) : System.Exception(message); }
            """));

        var sources = result.Results.Where(r => r.Generator.GetGeneratorType() != typeof(Serialization.SerializationGenerator)).SelectMany(r => r.GeneratedSources).ToList();
        Assert.Equal(2, sources.Count);
        Assert.All(sources, source =>
        {
            var text = source.SourceText.ToString();
            Assert.StartsWith("// <auto-generated/>\n#nullable enable\n", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
        });
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public async Task An_interface_declared_without_nullable_annotations_compiles_without_warnings()
    {
        var compilation = GeneratorHarness.CreateCompilation("""
            #nullable disable
            using System.Collections.Generic;
            using System.Threading.Tasks;
            namespace Shop;
            public sealed class Item { public string Name { get; set; } }
            [Processional.Remote] public interface IListener { Task<string> OnAsync(string what); }
            [Processional.Remote]
            public interface IOblivious
            {
                Task<string> EchoAsync(string text, Item item, List<string> names, IListener listener);
                IListener Listen(string topic);
                Task<IListener> ListenAsync(string topic);
                string this[string key] { get; }
            }
            """);

        var (result, output) = GeneratorHarness.RunAllGenerators(compilation);

        Assert.Equal(2, GeneratorHarness.ResultOf<RemoteGenerator>(result).GeneratedSources.Length);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.Empty(await GeneratorHarness.RunAnalyzerAsync(compilation, new RemoteAnalyzer()));
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public async Task Default_bodies_and_reabstractions_of_base_members_compile()
    {
        var compilation = GeneratorHarness.CreateCompilation("""
            using System.Threading.Tasks;
            namespace Shop;
            public interface IBase { int Version { get; } Task<int> GetAsync(int id); string Describe() => "base"; }
            [Processional.Remote]
            public interface IDerived : IBase
            {
                abstract int IBase.Version { get; }
                Task<int> IBase.GetAsync(int id) => Task.FromResult(id);
                Task PingAsync();
            }
            """);

        var (result, output) = GeneratorHarness.RunAllGenerators(compilation);

        var text = Assert.Single(GeneratorHarness.ResultOf<RemoteGenerator>(result).GeneratedSources).SourceText.ToString();
        Assert.Contains("int global::Shop.IBase.Version", text, StringComparison.Ordinal);
        Assert.Contains("global::System.Threading.Tasks.Task<int> global::Shop.IBase.GetAsync(int id)", text, StringComparison.Ordinal);
        Assert.Contains("string global::Shop.IBase.Describe()", text, StringComparison.Ordinal);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.Empty(await GeneratorHarness.RunAnalyzerAsync(compilation, new RemoteAnalyzer()));
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Empty_interfaces_keyword_names_and_names_of_the_generated_code_compile()
    {
        var (result, output) = GeneratorHarness.RunAllGenerators(GeneratorHarness.CreateCompilation("""
            namespace Shop;
            [Processional.Remote] public interface IEmpty { }
            [Processional.Remote]
            public interface IAwkward
            {
                int @class(int @event, string target, string request, string __call);
                void Dispose();
                void BeginCall(int methodId);
                ulong ObjectId { get; }
            }
            """));

        Assert.Equal(2, GeneratorHarness.ResultOf<RemoteGenerator>(result).GeneratedSources.Length);
        var warnings = GeneratorHarness.WarningsAndErrors(output);
        Assert.True(warnings.Count == 0, string.Join("\n", warnings));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Interfaces_whose_names_differ_only_in_case_get_distinct_file_names()
    {
        var (result, output) = GeneratorHarness.RunAllGenerators(GeneratorHarness.CreateCompilation("""
            namespace Shop;
            [Processional.Remote] public interface IPing { void Ping(); }
            [Processional.Remote] public interface IPING { void Ping(); }
            """));

        Assert.Equal(["Shop.IPING.g.cs", "Shop.IPing.2.g.cs"], GeneratorHarness.ResultOf<RemoteGenerator>(result).GeneratedSources.Select(s => s.HintName));
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        return Task.CompletedTask;
    }

    private static string Generate(string source) =>
        Baseline.Render(GeneratorHarness.ResultOf<RemoteGenerator>(GeneratorHarness.RunAllGenerators(GeneratorHarness.CreateCompilation(source)).Result));

    /// <summary>The (signature, id) of each member, read from the proxy's comments (<c>// signature -> 0x1234ABCDu</c>).</summary>
    private static List<(string Signature, uint Id)> Ids(string generated)
    {
        var proxy = generated[..generated.IndexOf("Dispatcher : ", StringComparison.Ordinal)];
        return IdComment().Matches(proxy)
            .Select(m => (m.Groups[1].Value, uint.Parse(m.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))
            .ToList();
    }

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return hash;
    }

    [GeneratedRegex(@"^    // (\S+) -> 0x([0-9A-F]{8})u$", RegexOptions.Multiline)]
    private static partial Regex IdComment();
}
