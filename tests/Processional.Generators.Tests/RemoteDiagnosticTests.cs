using Microsoft.CodeAnalysis;
using Processional.Generators.Remote;
using Processional.Generators.Tests.Infrastructure;

namespace Processional.Generators.Tests;

/// <summary>
/// Each [Remote] rule (PROC2xx), with its id, its severity, the exact span it is reported at (marked <c>[|like this|]</c>)
/// and the start of its message.
/// </summary>
public sealed class RemoteDiagnosticTests
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

        """;

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_generic_method_is_reported_at_its_name() => ExpectAsync(
        DiagnosticIds.GenericMethod,
        "'GetAsync' is a generic method, which a [Remote] interface cannot have",
        """
        [Remote]
        public interface IStore { Task<T> [|GetAsync|]<T>(int id); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task An_out_parameter_is_reported_at_the_parameter() => ExpectAsync(
        DiagnosticIds.ByReference,
        "'TryParse(value)' is declared 'out', but a [Remote] call copies the arguments to the callee and the result back",
        """
        [Remote]
        public interface IParser { bool TryParse(string text, out int [|value|]); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Ref_and_in_parameters_are_reported() => ExpectAllAsync(
        DiagnosticIds.ByReference,
        ["'Swap(a)' is declared 'ref'", "'Swap(b)' is declared 'in'"],
        """
        [Remote]
        public interface ISwapper { void Swap(ref int [|a|], in int [|b|]); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_result_returned_by_reference_is_reported_at_the_return_type() => ExpectAsync(
        DiagnosticIds.ByReference,
        "'Find(return)' is declared 'ref'",
        """
        [Remote]
        public interface IFinder { [|ref int|] Find(int key); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task An_event_is_reported_at_its_name() => ExpectAsync(
        DiagnosticIds.Event,
        "'Changed' is an event, which a [Remote] interface cannot have",
        """
        [Remote]
        public interface IWatcher { event EventHandler? [|Changed|]; }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_settable_property_is_reported_at_its_setter() => ExpectAsync(
        DiagnosticIds.SettableProperty,
        "'Name' has a setter, which a [Remote] interface cannot have",
        """
        [Remote]
        public interface IPerson { string Name { get; [|set|]; } }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task An_init_accessor_is_reported_too() => ExpectAsync(
        DiagnosticIds.SettableProperty,
        "'Age' has a setter",
        """
        [Remote]
        public interface IPerson { int Age { get; [|init|]; } }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_cancellation_token_that_is_not_last_is_reported_at_the_parameter() => ExpectAsync(
        DiagnosticIds.CancellationTokenNotLast,
        "'RunAsync(cancellationToken)' is a CancellationToken that is not the last parameter",
        """
        [Remote]
        public interface IJob { Task RunAsync(CancellationToken [|cancellationToken|], int steps); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_stream_deep_in_a_parameter_is_reported_at_the_parameter_type_with_its_member_path() => ExpectAsync(
        DiagnosticIds.NotSerializable,
        "'SubmitAsync(order).Lines[].Attachment' is a 'System.IO.Stream', a stream, handle, task or other live resource that cannot cross a process boundary; " +
        "send the data it holds instead (for example a byte[]), or mark the member [IgnoreMember] (PROC100); " +
        "parameters and results of [Remote] methods are sent by value, except [Remote] interfaces, which are sent by reference",
        """
        public class Order { public List<Line> Lines { get; set; } = new(); }
        public class Line { public Stream? Attachment { get; set; } }

        [Remote]
        public interface IShop { Task SubmitAsync([|Order|] order); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_result_that_cannot_be_serialized_is_reported_at_the_return_type() => ExpectAsync(
        DiagnosticIds.NotSerializable,
        "'GetAsync(return).Handler' is a delegate ('System.Action')",
        """
        public class Reply { public Action? Handler { get; set; } }

        [Remote]
        public interface IShop { [|Task<Reply>|] GetAsync(); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_plain_interface_parameter_is_not_serializable() => ExpectAsync(
        DiagnosticIds.NotSerializable,
        "'Use(plugin)' has type 'Shop.IPlugin', an interface or abstract class with no concrete type known to the generator",
        """
        public interface IPlugin { void Run(); }

        [Remote]
        public interface IHost { void Use([|IPlugin|] plugin); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_progress_value_that_cannot_be_serialized_is_reported_at_the_progress_type() => ExpectAsync(
        DiagnosticIds.NotSerializable,
        "'RunAsync(progress)' has type 'object'",
        """
        [Remote]
        public interface IJob { Task RunAsync([|IProgress<object>|] progress); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_framework_type_without_formatter_is_a_warning() => ExpectAsync(
        DiagnosticIds.NoBuiltInFormatter,
        "'AppendAsync(text)' has type 'System.Text.StringBuilder', which has no built-in formatter and for which none is generated",
        """
        [Remote]
        public interface IEditor { Task AppendAsync([|StringBuilder|] text); }
        """,
        DiagnosticSeverity.Warning);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_one_way_method_that_returns_a_value_is_reported_at_its_name() => ExpectAsync(
        DiagnosticIds.OneWayWithReply,
        "'CountAsync' is [OneWay] but returns 'Task<int>'; a one-way call gets no reply",
        """
        [Remote]
        public interface ILog { [OneWay] Task<int> [|CountAsync|](); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_one_way_method_that_takes_progress_is_reported() => ExpectAsync(
        DiagnosticIds.OneWayWithReply,
        "'Run' is [OneWay] but takes progress 'progress'",
        """
        [Remote]
        public interface ILog { [OneWay] void [|Run|](IProgress<int> progress); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_generic_interface_is_reported_at_its_name() => ExpectAsync(
        DiagnosticIds.GenericInterface,
        "[Remote] interface 'Shop.IRepository<T>' is generic, which is not supported",
        """
        [Remote]
        public interface [|IRepository|]<T> { Task<T> GetAsync(int id); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task An_interface_nested_in_a_generic_type_is_reported() => ExpectAsync(
        DiagnosticIds.GenericInterface,
        "[Remote] interface 'Shop.Outer<T>.IInner' is generic (it is nested in the generic 'Outer<T>'), which is not supported",
        """
        public class Outer<T>
        {
            [Remote]
            public interface [|IInner|] { Task<int> GetAsync(); }
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_private_interface_is_reported_at_its_name() => ExpectAsync(
        DiagnosticIds.InaccessibleInterface,
        "[Remote] interface 'Shop.Outer.IHidden' cannot be accessed by generated code (it is private)",
        """
        public class Outer
        {
            [Remote]
            private interface [|IHidden|] { Task<int> GetAsync(); }
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_file_local_interface_is_reported() => ExpectAsync(
        DiagnosticIds.InaccessibleInterface,
        "[Remote] interface 'Shop.ILocal' cannot be accessed by generated code (it is file-local)",
        """
        [Remote]
        file interface [|ILocal|] { Task<int> GetAsync(); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Colliding_method_ids_are_reported_at_the_second_member() => ExpectAsync(
        DiagnosticIds.MethodIdCollision,
        // FNV-1a("Shop.IClash.M13649()") == FNV-1a("Shop.IClash.M104026()") == 0x26D03C4A.
        "'M104026' has method id 0x26D03C4A, the hash of its signature 'Shop.IClash.M104026()', which is also the id of 'Shop.IClash.M13649()' in [Remote] interface 'Shop.IClash'; rename one of the two",
        """
        [Remote]
        public interface IClash
        {
            void M13649();
            void [|M104026|]();
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_remote_interface_as_stream_item_is_reported_at_the_return_type() => ExpectAsync(
        DiagnosticIds.RemoteInterfaceAsValue,
        "'WatchAsync(return)' uses [Remote] interface 'Shop.IListener' as a stream item",
        """
        [Remote]
        public interface IListener { void OnChanged(); }

        [Remote]
        public interface IHub { [|IAsyncEnumerable<IListener>|] WatchAsync(); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_remote_interface_as_progress_value_is_reported_at_the_parameter_type() => ExpectAsync(
        DiagnosticIds.RemoteInterfaceAsValue,
        "'RunAsync(progress)' uses [Remote] interface 'Shop.IListener' as a progress value",
        """
        [Remote]
        public interface IListener { void OnChanged(); }

        [Remote]
        public interface IHub { Task RunAsync([|IProgress<IListener>|] progress); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_static_abstract_member_is_reported_at_its_name() => ExpectAsync(
        DiagnosticIds.StaticAbstractMember,
        "'Create' is a static abstract or static virtual member, which a [Remote] interface cannot have",
        """
        [Remote]
        public interface IFactory { static abstract IFactory [|Create|](); Task PingAsync(); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_problem_inherited_from_a_plain_interface_is_reported_at_the_remote_interface_with_the_base_name() => ExpectAsync(
        DiagnosticIds.Event,
        "'IBase.Changed' is an event",
        """
        public interface IBase { event EventHandler? Changed; }

        [Remote]
        public interface [|IDerived|] : IBase { Task PingAsync(); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_problem_inherited_from_a_remote_interface_is_reported_once_there() => ExpectAsync(
        DiagnosticIds.SettableProperty,
        "'Name' has a setter",
        """
        [Remote]
        public interface IBase { string Name { get; [|set|]; } }

        [Remote]
        public interface IDerived : IBase { Task PingAsync(); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public async Task Supported_shapes_report_nothing()
    {
        var compilation = GeneratorHarness.CreateCompilation(Usings + """
            public sealed record Order(int Id, List<string> Lines);

            [Remote]
            public interface IListener { ValueTask OnChangedAsync(string what); }

            [Remote]
            public interface IEverything : IAsyncDisposable
            {
                Task ResetAsync();
                Task<Order?> GetAsync(int id, CancellationToken cancellationToken = default);
                ValueTask ClearAsync();
                ValueTask<long> TotalAsync();
                IAsyncEnumerable<Order> WatchAsync(CancellationToken cancellationToken = default);
                int Add(int a, int b);
                void Reset();
                [OneWay] void Fire(string message);
                Task<int> RunAsync(IProgress<double> progress, IListener listener, CancellationToken cancellationToken);
                IListener Listen(string topic);
                Task<IListener?> ListenAsync(string topic);
                string Name { get; }
                Order this[int id] { get; }
                Task SumAsync(params int[] values);
            }
            """);

        Assert.Empty(await GeneratorHarness.RunAnalyzerAsync(compilation, new RemoteAnalyzer(), new Serialization.SerializationAnalyzer()));
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public async Task The_generator_skips_an_interface_with_a_problem_and_the_rest_still_compiles()
    {
        var compilation = GeneratorHarness.CreateCompilation(Usings + """
            [Remote]
            public interface IBroken { event EventHandler? Changed; Task PingAsync(); }

            [Remote]
            public interface IFine { Task PingAsync(); }
            """);

        var (result, output) = GeneratorHarness.RunAllGenerators(compilation);

        Assert.Equal(["Shop.IFine.g.cs"], GeneratorHarness.ResultOf<RemoteGenerator>(result).GeneratedSources.Select(s => s.HintName));
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.Equal([DiagnosticIds.Event], (await GeneratorHarness.RunAnalyzerAsync(compilation, new RemoteAnalyzer())).Select(d => d.Id));
    }

    private static Task ExpectAsync(string id, string messageStart, string marked, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        ExpectAllAsync(id, [messageStart], marked, severity);

    /// <summary>Expects one diagnostic per marked span, in order, each with its message start.</summary>
    private static async Task ExpectAllAsync(string id, string[] messageStarts, string marked, DiagnosticSeverity severity = DiagnosticSeverity.Error)
    {
        var markup = MultiMarkup.Parse(Usings + marked);
        var compilation = GeneratorHarness.CreateCompilation(markup.Source);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var diagnostics = await GeneratorHarness.RunAnalyzerAsync(compilation, new RemoteAnalyzer());

        Assert.Equal(messageStarts.Length, diagnostics.Length);
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
