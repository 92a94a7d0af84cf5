using Microsoft.CodeAnalysis;
using Processional.Generators.Lambdas;
using Processional.Generators.Remote;
using Processional.Generators.Tests.Infrastructure;

namespace Processional.Generators.Tests;

/// <summary>
/// Shared-memory types (<c>SharedArray&lt;T&gt;</c>, <c>SharedMemory</c>, <c>SharedSequence</c>) are disposable, but they are
/// data that travels as a handle: no "live resource" or "not serializable" diagnostic for captures, parameters, results
/// or members, and the lambda generator intercepts calls that capture them.
/// </summary>
public sealed class SharedMemoryDiagnosticTests
{
    private const string Source = """
        using System;
        using System.Threading.Tasks;
        using Processional;

        namespace Shop;

        public sealed record Frame(int Number, SharedArray<float> Pixels);

        [Remote]
        public interface IImages
        {
            ValueTask<SharedArray<byte>> LoadAsync(string name);

            ValueTask BlurAsync(SharedArray<float> image, SharedMemory scratch, SharedSequence progress, Frame frame);
        }

        public static class Calls
        {
            public static async Task<double> RunAsync(SlaveProcess slave, SharedArray<double> data, SharedMemory raw, SharedSequence done, Frame frame)
            {
                var a = await slave.InvokeAsync(() => data[0] + raw.Length + done.Value + frame.Pixels.Length);
                using var back = await slave.InvokeAsync(() => SharedArray<double>.Allocate(4));
                return a + back.Length;
            }
        }
        """;

    [Fact(Timeout = TestTimeouts.Compile)]
    public async Task Shared_memory_types_cross_process_boundaries_without_diagnostics()
    {
        var compilation = GeneratorHarness.CreateCompilation(Source);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var diagnostics = await GeneratorHarness.RunAnalyzerAsync(compilation, new LambdaAnalyzer(), new RemoteAnalyzer(), new Serialization.SerializationAnalyzer());

        Assert.Empty(diagnostics);
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public async Task The_lambda_capturing_a_shared_array_is_intercepted_and_the_output_compiles()
    {
        await Task.Yield();
        var compilation = GeneratorHarness.CreateCompilation(Source);

        var (result, output) = GeneratorHarness.RunAllGenerators(compilation);

        var generated = Assert.Single(GeneratorHarness.ResultOf<LambdaGenerator>(result).GeneratedSources).SourceText.ToString();
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(generated, "InterceptsLocation\\(1,").Count);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
    }
}
