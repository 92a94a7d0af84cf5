using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Processional.Generators.Lambdas;
using Processional.Generators.Tests.Infrastructure;

namespace Processional.Generators.Tests;

/// <summary>
/// Each rule about lambdas shipped to other processes (PROC3xx), with its id, its severity, the exact span it is
/// reported at (marked <c>[|like this|]</c>) and the start of its message.
/// </summary>
public sealed class LambdaDiagnosticTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Text;
        using System.Threading;
        using System.Threading.Tasks;
        using Processional;

        namespace Shop;

        public sealed record Attachment(string Name, Stream Content);

        """;

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_capture_that_cannot_be_serialized_is_reported_at_its_first_use_with_its_member_path() => ExpectAsync(
        DiagnosticIds.CaptureNotSerializable,
        "'attachment.Content' is a 'System.IO.Stream', a stream, handle, task or other live resource that cannot cross a process boundary",
        """
        public static class Calls
        {
            public static Task<int> RunAsync(SlaveProcess slave, Attachment attachment) =>
                slave.InvokeAsync(() => [|attachment|].Name.Length + attachment.Name.Length);
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_capture_of_a_framework_type_without_formatter_is_a_warning() => ExpectAsync(
        DiagnosticIds.CaptureWithoutFormatter,
        "'builder' has type 'System.Text.StringBuilder', which has no built-in formatter",
        """
        public static class Calls
        {
            public static Task<int> RunAsync(SlaveProcess slave, StringBuilder builder) => slave.InvokeAsync(() => [|builder|].Length);
        }
        """,
        DiagnosticSeverity.Warning);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_captured_stream_is_reported_at_its_first_use() => ExpectAsync(
        DiagnosticIds.CaptureIsResource,
        "'stream' is a 'System.IO.Stream', a stream, handle or other live resource of this process",
        """
        public static class Calls
        {
            public static Task<long> RunAsync(SlaveProcess slave, Stream stream) => slave.InvokeAsync(() => [|stream|].Length);
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_captured_cancellation_token_says_to_use_RemoteCall() => ExpectAsync(
        DiagnosticIds.CaptureIsProcessBound,
        "'token' is a 'System.Threading.CancellationToken', which belongs to this process and means nothing in the slave; read RemoteCall.CancellationToken inside the lambda instead",
        """
        public static class Calls
        {
            public static Task<bool> RunAsync(SlaveProcess slave, CancellationToken token) => slave.InvokeAsync(() => [|token|].IsCancellationRequested);
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Captured_slaves_and_tasks_are_reported() => ExpectAllAsync(
        DiagnosticIds.CaptureIsProcessBound,
        ["'other' is a 'Processional.SlaveProcess', which belongs to this process", "'pending' is a 'System.Threading.Tasks.Task<int>', which belongs to this process"],
        """
        public static class Calls
        {
            public static Task<int> RunAsync(SlaveProcess slave, SlaveProcess other, Task<int> pending) =>
                slave.InvokeAsync(() => [|other|].ProcessId + [|pending|].Result);
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_captured_this_that_cannot_be_serialized_is_reported_at_its_first_use() => ExpectAsync(
        DiagnosticIds.ThisNotSerializable,
        "The lambda uses 'this', which travels to the slave by value, but 'this.Log' is a 'System.IO.Stream'",
        """
        public sealed class Worker
        {
            public Stream Log { get; set; } = Stream.Null;

            public int Size { get; set; }

            public Task<int> RunAsync(SlaveProcess slave) => slave.InvokeAsync(() => [|Size|] * 2);
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task The_first_use_of_this_is_found_past_object_initializers() => ExpectAsync(
        DiagnosticIds.ThisNotSerializable,
        "The lambda uses 'this', which travels to the slave by value, but 'this.Log' is a 'System.IO.Stream'",
        """
        public sealed class Line { public int Quantity { get; set; } }

        public sealed class Worker
        {
            public Stream Log { get; set; } = Stream.Null;

            public int Size { get; set; }

            public Task<int> RunAsync(SlaveProcess slave) => slave.InvokeAsync(() => new Line { Quantity = 1 }.Quantity + [|this|].Size);
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_result_that_cannot_be_serialized_is_reported_at_the_lambda() => ExpectAsync(
        DiagnosticIds.ResultNotSerializable,
        "The lambda's 'result' is a 'System.IO.Stream', a stream, handle, task or other live resource",
        """
        public static class Calls
        {
            public static Task<Stream> RunAsync(SlaveProcess slave) => slave.InvokeAsync([|() => Stream.Null|]);
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_result_of_a_framework_type_without_formatter_is_a_warning() => ExpectAsync(
        DiagnosticIds.ResultWithoutFormatter,
        "The lambda's 'result' has type 'System.Text.StringBuilder', which has no built-in formatter",
        """
        public static class Calls
        {
            public static StringBuilder Run(SlaveProcess slave) => slave.Invoke([|() => new StringBuilder()|]);
        }
        """,
        DiagnosticSeverity.Warning);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task CreateAsync_of_an_interface_that_is_not_remote_is_reported_at_the_method_name() => ExpectAsync(
        DiagnosticIds.NotRemoteInterface,
        "CreateAsync<Shop.IPlain> needs a [Remote] interface, and 'Shop.IPlain' is not one",
        """
        public interface IPlain { int Value { get; } }

        public sealed class Plain : IPlain { public int Value => 1; }

        public static class Calls
        {
            public static Task<IPlain> RunAsync(SlaveProcess slave) => slave.[|CreateAsync<IPlain>|](() => new Plain());
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_delegate_in_a_variable_is_a_warning_unless_it_came_through_a_remote_parameter() => ExpectAsync(
        DiagnosticIds.UnseenDelegate,
        "This delegate is not a lambda written at the call, so the generator cannot ship its captured variables: InvokeAsync throws NotSupportedException",
        """
        public static class Calls
        {
            public static Task<int> RunAsync(SlaveProcess slave, Func<int> work) => slave.InvokeAsync([|work|]);

            public static Task<int> ForwardAsync(SlaveProcess slave, [Remote] Func<int> work) => slave.InvokeAsync(work);
        }
        """,
        DiagnosticSeverity.Warning);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_delegate_from_a_remote_parameter_cannot_be_wrapped() => ExpectAsync(
        DiagnosticIds.RemoteParameterKind,
        "'build' comes from a [Remote] parameter, whose lambda ships with Invoke and InvokeAsync semantics only",
        """
        public static class Calls
        {
            public static Task<Remote<List<int>>> KeepAsync(SlaveProcess slave, [Remote] Func<List<int>> build) => slave.WrapAsync([|build|]);
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_lambda_in_a_generic_method_is_reported_at_the_lambda() => ExpectAsync(
        DiagnosticIds.GenericContext,
        "This lambda is written in generic method 'RunAsync', whose compiled lambdas and closures are generic too",
        """
        public static class Calls
        {
            public static Task<int> RunAsync<T>(SlaveProcess slave, T value) => slave.InvokeAsync([|() => value!.GetHashCode()|]);
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_lambda_in_a_generic_type_is_reported_at_the_lambda() => ExpectAsync(
        DiagnosticIds.GenericContext,
        "This lambda is written in generic type 'Shop.Box<T>'",
        """
        public sealed class Box<T>
        {
            public Task<int> RunAsync(SlaveProcess slave) => slave.InvokeAsync([|() => 1|]);
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Assigning_a_captured_variable_is_a_warning_at_the_assignment() => ExpectAsync(
        DiagnosticIds.CaptureAssigned,
        "The lambda assigns captured variable 'count', but it runs in another process on a copy",
        """
        public static class Calls
        {
            public static async Task<int> RunAsync(SlaveProcess slave)
            {
                var count = 1;
                await slave.InvokeAsync(() => { var seen = count; [|count|] = seen + 1; });
                return count;
            }
        }
        """,
        DiagnosticSeverity.Warning);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task An_instance_method_group_is_reported_at_the_argument() => ExpectAsync(
        DiagnosticIds.UnsupportedMethodGroup,
        "'Next' is an instance method group (its target object would have to travel), which cannot be sent to another process",
        """
        public static class Calls
        {
            public static Task<int> RunAsync(SlaveProcess slave, Random random) => slave.InvokeAsync([|random.Next|]);
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_private_static_method_group_is_reported_at_the_argument() => ExpectAsync(
        DiagnosticIds.UnsupportedMethodGroup,
        "'Secret' is a static method that generated code cannot call (it is not internal or public)",
        """
        public static class Calls
        {
            public static Task<int> RunAsync(SlaveProcess slave) => slave.InvokeAsync([|Secret|]);

            private static int Secret() => 42;
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_remote_parameter_of_a_generic_method_is_reported_at_the_lambda() => ExpectAsync(
        DiagnosticIds.RemoteParameterNotSupported,
        "'Submit' has a [Remote] delegate parameter, but it is generic, so the generator cannot attach this lambda",
        """
        public static class Jobs
        {
            public static void Submit<T>([Remote] Func<T> work) { }

            public static void Run() => Submit([|() => 1|]);
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_remote_parameter_of_another_delegate_type_is_reported_at_the_lambda() => ExpectAsync(
        DiagnosticIds.RemoteParameterNotSupported,
        "'Submit' has a [Remote] delegate parameter, but its type 'System.Func<int, int>' is not Func<T>, Func<Task>, Func<Task<T>> or Action",
        """
        public static class Jobs
        {
            public static void Submit([Remote] Func<int, int> work) { }

            public static void Run() => Submit([|x => x + 1|]);
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_captured_primary_constructor_parameter_is_reported_at_its_first_use() => ExpectAsync(
        DiagnosticIds.PrimaryConstructorParameter,
        "The lambda uses primary constructor parameter 'size'",
        """
        public sealed class Worker(int size)
        {
            public Task<int> RunAsync(SlaveProcess slave) => slave.InvokeAsync(() => [|size|] * 2);
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_wrapped_type_generated_code_cannot_name_is_reported_at_the_lambda() => ExpectAsync(
        DiagnosticIds.InaccessibleType,
        "The lambda's result has type 'Shop.Calls.Hidden', which the generated interceptor must name but cannot (it is private)",
        """
        public static class Calls
        {
            public static async Task RunAsync(SlaveProcess slave)
            {
                using var handle = await slave.WrapAsync([|() => new Hidden()|]);
            }

            private sealed class Hidden;
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task An_anonymous_result_is_reported_at_the_lambda() => ExpectAsync(
        DiagnosticIds.InaccessibleType,
        "The lambda's result has type",
        """
        public static class Calls
        {
            public static async Task<int> RunAsync(SlaveProcess slave) => (await slave.InvokeAsync([|() => new { A = 1 }|])).A;
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public async Task A_span_cannot_be_captured_at_all()
    {
        var compilation = GeneratorHarness.CreateCompilation(Usings + """
            public static class Calls
            {
                public static int Run(SlaveProcess slave)
                {
                    Span<int> span = stackalloc int[4];
                    return slave.Invoke(() => span.Length);
                }
            }
            """);

        // The compiler refuses it (a ref struct cannot be captured); the analyzer adds nothing and the generator skips it.
        Assert.Contains(compilation.GetDiagnostics(), d => d.Id == "CS8175");
        Assert.Empty(await GeneratorHarness.RunAnalyzerAsync(compilation, new LambdaAnalyzer()));
        var (result, _) = GeneratorHarness.RunAllGenerators(compilation);
        Assert.Empty(GeneratorHarness.ResultOf<LambdaGenerator>(result).GeneratedSources);
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public async Task Tuples_that_differ_only_in_element_names_share_one_analysis()
    {
        // (bool, int), (bool Ok, int Count) and (bool, int Length) (a name inferred from the element) are one type to
        // the serializer; the analyzer once failed with AD0001 when it met the second spelling.
        var compilation = GeneratorHarness.CreateCompilation(Usings + """
            public static class Calls
            {
                public static async Task<int> RunAsync(SlaveProcess slave, string text)
                {
                    var plain = await slave.InvokeAsync(() => (true, 1));
                    var named = await slave.InvokeAsync(() => (Ok: true, Count: 2));
                    var inferred = await slave.InvokeAsync(() => (text.Length > 0, text.Length));
                    return plain.Item2 + named.Count + inferred.Length;
                }
            }
            """);

        var diagnostics = await compilation.WithAnalyzers([new LambdaAnalyzer()]).GetAllDiagnosticsAsync();
        Assert.DoesNotContain(diagnostics, d => d.Severity >= DiagnosticSeverity.Warning);
        var (result, output) = GeneratorHarness.RunAllGenerators(compilation);
        Assert.Equal(3, GeneratorHarness.ResultOf<LambdaGenerator>(result).GeneratedSources.Sum(s => s.SourceText.ToString().Split("InterceptsLocation(").Length - 1));
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public async Task Supported_captures_and_results_report_nothing()
    {
        var compilation = GeneratorHarness.CreateCompilation(Usings + """
            public sealed record Order(int Id, List<string> Lines);

            [Remote]
            public interface IListener { void OnChanged(string what); }

            public sealed class Report
            {
                public string Title { get; set; } = "";

                public Task<string> RenderAsync(SlaveProcess slave) => slave.InvokeAsync(() => Title);
            }

            public static class Calls
            {
                public static async Task<int> RunAsync(SlaveProcess slave, Order order, IListener listener, Remote<List<int>> numbers, int[] values)
                {
                    var text = "x";
                    var a = await slave.InvokeAsync(() => order.Lines.Count + text.Length + values.Length);
                    var b = await slave.InvokeAsync(() => { listener.OnChanged(text); return numbers.Value.Count; });
                    var c = await slave.InvokeAsync(async () => { await Task.Yield(); return RemoteCall.CancellationToken.IsCancellationRequested ? 0 : 1; });
                    using var kept = await slave.WrapAsync(() => new Report());
                    return a + b + c + await slave.RunThreadAsync(() => order.Id);
                }
            }
            """);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));

        Assert.Empty(await GeneratorHarness.RunAnalyzerAsync(compilation, new LambdaAnalyzer()));
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public async Task The_generator_skips_a_call_with_a_problem_and_the_rest_still_compiles()
    {
        var compilation = GeneratorHarness.CreateCompilation(Usings + """
            public static class Calls
            {
                public static async Task<long> RunAsync(SlaveProcess slave, Stream stream)
                {
                    var n = 1;
                    return await slave.InvokeAsync(() => stream.Length) + await slave.InvokeAsync(() => n);
                }
            }
            """);

        var (result, output) = GeneratorHarness.RunAllGenerators(compilation);

        var generated = Assert.Single(GeneratorHarness.ResultOf<LambdaGenerator>(result).GeneratedSources).SourceText.ToString();
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(generated, "InterceptsLocation\\(1,"));
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.Equal([DiagnosticIds.CaptureIsResource], (await GeneratorHarness.RunAnalyzerAsync(compilation, new LambdaAnalyzer())).Select(d => d.Id));
    }

    private static Task ExpectAsync(string id, string messageStart, string marked, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        ExpectAllAsync(id, [messageStart], marked, severity);

    /// <summary>Expects one diagnostic per marked span, in order, each with its message start.</summary>
    private static async Task ExpectAllAsync(string id, string[] messageStarts, string marked, DiagnosticSeverity severity = DiagnosticSeverity.Error)
    {
        var markup = MultiMarkup.Parse(Usings + marked);
        var compilation = GeneratorHarness.CreateCompilation(markup.Source);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var diagnostics = await GeneratorHarness.RunAnalyzerAsync(compilation, new LambdaAnalyzer());

        Assert.True(messageStarts.Length == diagnostics.Length, string.Join("\n", diagnostics));
        for (var i = 0; i < diagnostics.Length; i++)
        {
            var diagnostic = diagnostics[i];
            Assert.Equal(id, diagnostic.Id);
            Assert.Equal(severity, diagnostic.Severity);
            Assert.Equal(markup.Spans[i], diagnostic.Location.SourceSpan);
            Assert.Equal(markup.LineSpans[i], diagnostic.Location.GetLineSpan().Span);
            Assert.StartsWith(messageStarts[i], diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
    }
}
