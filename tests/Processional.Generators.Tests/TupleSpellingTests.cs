using Microsoft.CodeAnalysis;
using Processional.Generators.Lambdas;
using Processional.Generators.Tests.Infrastructure;

namespace Processional.Generators.Tests;

/// <summary>
/// The type walker learns each type once: a tuple spelled with element names and the same tuple without them (one
/// canonical type) must not be learned twice (the analyzer used to throw AD0001 "same key already added").
/// </summary>
public sealed class TupleSpellingTests
{
    [Fact(Timeout = TestTimeouts.Compile)]
    public async Task Lambdas_returning_one_tuple_type_with_and_without_element_names_are_analyzed()
    {
        var compilation = GeneratorHarness.CreateCompilation("""
            using System.Threading.Tasks;
            using Processional;

            namespace Shop;

            public static class Calls
            {
                public static async Task<long> RunAsync(SlaveProcess slave, string text)
                {
                    var (a, b) = await slave.InvokeAsync(() => (1, 2L));
                    var (c, d) = await slave.InvokeAsync(() => (text.Length, 3L));
                    return a + b + c + d;
                }
            }
            """);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        Assert.Empty(await GeneratorHarness.RunAnalyzerAsync(compilation, new LambdaAnalyzer()));
    }
}
