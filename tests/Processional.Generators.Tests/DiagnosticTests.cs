using Microsoft.CodeAnalysis;
using Processional.Generators.Serialization;
using Processional.Generators.Tests.Infrastructure;

namespace Processional.Generators.Tests;

/// <summary>
/// Each rule, with its id, its severity, the exact span it is reported at (marked <c>[|like this|]</c> in the source:
/// the type argument of the call, or the argument its type was inferred from) and the member path in its message.
/// </summary>
public sealed class DiagnosticTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using Processional.Serialization;

        namespace Shop;

        """;

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_stream_deep_in_the_graph_is_reported_at_the_call_with_its_member_path() => ExpectAsync(
        DiagnosticIds.ResourceType,
        "'Order.Lines[].Product.Stream' is a 'System.IO.Stream', a stream, handle, task or other live resource that cannot cross a process boundary; " +
        "send the data it holds instead (for example a byte[]), or mark the member [IgnoreMember]",
        """
        public class Order { public List<Line> Lines { get; set; } = new(); }
        public class Line { public Product? Product { get; set; } }
        public class Product { public string? Name { get; set; } public Stream? Stream { get; set; } }

        public static class Use { public static byte[] Run(Order order) => ProcessionalSerializer.Serialize([|order|]); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Tasks_and_cancellation_tokens_are_live_resources() => ExpectAsync(
        DiagnosticIds.ResourceType,
        "'Job.Token' is a 'System.Threading.CancellationToken'",
        """
        public class Job { public System.Threading.CancellationToken Token { get; set; } }

        public static class Use { public static Job? Run(byte[] b) => ProcessionalSerializer.Deserialize<[|Job|]>(b); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_delegate_is_reported() => ExpectAsync(
        DiagnosticIds.DelegateType,
        "'Job.Callbacks[value]' is a delegate ('System.Func<int>')",
        """
        public class Job { public Dictionary<string, Func<int>>? Callbacks { get; set; } }

        public static class Use { public static Job? Run(byte[] b) => ProcessionalSerializer.Deserialize<[|Job|]>(b); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_native_handle_is_reported() => ExpectAsync(
        DiagnosticIds.PointerType,
        "'Window.Handle' is a pointer or native handle ('nint')",
        """
        public class Window { public IntPtr Handle { get; set; } }

        public static class Use { public static byte[] Run(Window w) => ProcessionalSerializer.Serialize([|w|]); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_pointer_inside_an_unmanaged_struct_is_reported() => ExpectAsync(
        DiagnosticIds.PointerType,
        "'Holder.Native.Address' is a pointer or native handle ('int*')",
        """
        public unsafe struct Native { public int Length; public int* Address; }
        public class Holder { public Native Native { get; set; } }

        public static class Use { public static byte[] Run(Holder h) => ProcessionalSerializer.Serialize([|h|]); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_ref_struct_is_reported() => ExpectAsync(
        DiagnosticIds.RefStructType,
        "'Frame.Pixels' is a ref struct ('System.Span<byte>')",
        """
        public class Frame { public Span<byte> Pixels { get => default; set { } } }

        public static class Use { public static byte[] Run(Frame f) => ProcessionalSerializer.Serialize([|f|]); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_call_on_a_type_parameter_is_reported_as_information() => ExpectAsync(
        DiagnosticIds.TypeParameter,
        "'List<T>' is or contains a type parameter ('System.Collections.Generic.List<T>')",
        """
        public static class Use { public static byte[] Run<T>(List<T> items) => ProcessionalSerializer.Serialize([|items|]); }
        """,
        DiagnosticSeverity.Info);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_class_without_a_usable_constructor_is_reported() => ExpectAsync(
        DiagnosticIds.NoUsableConstructor,
        "'Order.Customer' has type 'Shop.Customer', which generated code cannot create: parameter 'fullName' of its constructor 'Customer.Customer(string)' matches no public field or property of the same name and type",
        """
        public class Order { public Customer? Customer { get; set; } }
        public class Customer
        {
            public Customer(string fullName) => Name = fullName;
            private Customer() { }
            public string Name { get; set; }
        }

        public static class Use { public static Order? Run(byte[] b) => ProcessionalSerializer.Deserialize<[|Order|]>(b); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_private_type_is_reported() => ExpectAsync(
        DiagnosticIds.InaccessibleType,
        "'Drawing.Main(Canvas.Scribble)' has type 'Shop.Canvas.Scribble', which generated code cannot access (it is private); make it internal or public",
        """
        public abstract class Shape { }
        public sealed class Circle : Shape { }
        public class Canvas { private sealed class Scribble : Shape { } }
        public class Drawing { public Shape? Main { get; set; } }

        public static class Use { public static byte[] Run(Drawing d) => ProcessionalSerializer.Serialize([|d|]); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_private_root_is_reported() => ExpectAsync(
        DiagnosticIds.InaccessibleType,
        "'Outer.Hidden' has type 'Shop.Outer.Hidden', which generated code cannot access (it is private)",
        """
        public class Outer
        {
            private sealed class Hidden { public int X { get; set; } }
            private static byte[] Run() => ProcessionalSerializer.Serialize([|new Hidden()|]);
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task An_interface_without_implementations_is_reported() => ExpectAsync(
        DiagnosticIds.NoConcreteTypes,
        "'Plugin.Handler' has type 'Shop.IHandler', an interface or abstract class with no concrete type known to the generator",
        """
        public interface IHandler { }
        public abstract class AbstractHandler : IHandler { }
        public class Plugin { public IHandler? Handler { get; set; } }

        public static class Use { public static byte[] Run(Plugin p) => ProcessionalSerializer.Serialize([|p|]); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task An_object_member_is_reported() => ExpectAsync(
        DiagnosticIds.UntypedValue,
        "'Bag.Items[]' has type 'object', which says nothing about what it holds",
        """
        public class Bag { public object[]? Items { get; set; } }

        public static class Use { public static byte[] Run(Bag b) => ProcessionalSerializer.Serialize([|b|]); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_dynamic_member_is_reported() => ExpectAsync(
        DiagnosticIds.UntypedValue,
        "'Bag.Value' has type 'dynamic'",
        """
        public class Bag { public dynamic? Value { get; set; } }

        public static class Use { public static byte[] Run(Bag b) => ProcessionalSerializer.Serialize([|b|]); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task More_than_249_members_are_reported() => ExpectAsync(
        DiagnosticIds.TooManyMembers,
        "'Wide' has type 'Shop.Wide' with 250 serialized members, more than the 249 the wire format allows",
        "public class Wide { " + string.Concat(Enumerable.Range(0, 250).Select(i => $"public int M{i}; ")) + "}\n" +
        "public static class Use { public static byte[] Run(Wide w) => ProcessionalSerializer.Serialize([|w|]); }\n");

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_framework_type_without_a_formatter_is_a_warning() => ExpectAsync(
        DiagnosticIds.NoBuiltInFormatter,
        "'Report.Text' has type 'System.Text.StringBuilder', which has no built-in formatter and for which none is generated",
        """
        public class Report { public System.Text.StringBuilder? Text { get; set; } }

        public static class Use { public static byte[] Run(Report r) => ProcessionalSerializer.Serialize([|r|]); }
        """,
        DiagnosticSeverity.Warning);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task An_invalid_union_list_is_reported() => ExpectAsync(
        DiagnosticIds.InvalidUnion,
        "'Envelope.Message' has type 'Shop.IMessage', whose [Union] list is invalid: tag 1 is used twice; 'Stranger' (tag 2) does not implement 'IMessage'",
        """
        [Union(1, typeof(Ping))]
        [Union(1, typeof(Pong))]
        [Union(2, typeof(Stranger))]
        public interface IMessage { }
        public class Ping : IMessage { }
        public class Pong : IMessage { }
        public class Stranger { }
        public class Envelope { public IMessage? Message { get; set; } }

        public static class Use { public static Envelope? Run(byte[] b) => ProcessionalSerializer.Deserialize<[|Envelope|]>(b); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task A_type_deriving_from_a_framework_class_is_reported() => ExpectAsync(
        DiagnosticIds.FrameworkBaseType,
        "'Result.Error' has type 'Shop.OrderException', which derives from 'System.Exception'",
        """
        public class OrderException : Exception { public int Code { get; set; } }
        public class Result { public OrderException? Error { get; set; } }

        public static class Use { public static byte[] Run(Result r) => ProcessionalSerializer.Serialize([|r|]); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public async Task Each_member_holding_a_bad_type_is_reported_once_and_valid_types_report_nothing()
    {
        var markup = Markup.Parse(Usings + """
            public class Order { public Product? First { get; set; } public Product? Second { get; set; } public Line[]? Lines { get; set; } }
            public class Line { public Product? Product { get; set; } }
            public class Product { public Stream? Stream { get; set; } public Stream? Backup { get; set; } }
            public class Fine { public int X { get; set; } public List<string>? Names { get; set; } }

            public static class Use
            {
                public static void Run(Order o, Fine f)
                {
                    ProcessionalSerializer.Serialize([|o|]);
                    ProcessionalSerializer.Serialize(f);
                    ProcessionalSerializer.Deserialize<Fine>(new byte[0]);
                }
            }
            """);

        var diagnostics = await GeneratorHarness.RunAnalyzerAsync(GeneratorHarness.CreateCompilation(markup.Source));

        // Product is expanded once (from the first member that reaches it); each of its bad members is named once.
        Assert.All(diagnostics, d => Assert.Equal(markup.Span, d.Location.SourceSpan));
        Assert.Equal(
            ["'Order.First.Stream'", "'Order.First.Backup'"],
            diagnostics.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Split(' ')[0]));
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public async Task The_generator_skips_the_type_that_has_a_problem_and_still_compiles()
    {
        var compilation = GeneratorHarness.CreateCompilation(Usings + """
            public class Order { public int Id { get; set; } public Customer? Customer { get; set; } }
            public class Customer { public Customer(string fullName) { } }

            public static class Use { public static byte[] Run(Order o) => ProcessionalSerializer.Serialize(o); }
            """);

        var (result, output) = GeneratorHarness.RunGenerator(compilation);

        Assert.Equal(["Shop.Order.g.cs"], result.GeneratedSources.Select(s => s.HintName));
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Assert.Equal(DiagnosticIds.NoUsableConstructor, Assert.Single(await GeneratorHarness.RunAnalyzerAsync(compilation)).Id);
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public async Task A_type_with_a_hand_written_formatter_is_left_to_it()
    {
        var compilation = GeneratorHarness.CreateCompilation(Usings + """
            public class Tests
            {
                private sealed class Envelope { public Stream? Body { get; set; } }

                private sealed class EnvelopeFormatter : ProcessionalFormatter<Envelope>
                {
                    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Envelope? value) => writer.WriteNullObjectHeader();
                    public override void Deserialize(ref ProcessionalReader reader, scoped ref Envelope? value) => reader.TryReadObjectHeader(out _);
                }

                private sealed class BuilderFormatter : ProcessionalFormatter<System.Text.StringBuilder>
                {
                    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref System.Text.StringBuilder? value) => writer.WriteString(value?.ToString());
                    public override void Deserialize(ref ProcessionalReader reader, scoped ref System.Text.StringBuilder? value) => value = new(reader.ReadString());
                }

                public sealed class Report { public int Id { get; set; } public System.Text.StringBuilder? Text { get; set; } }

                public static void Run(byte[] bytes)
                {
                    ProcessionalSerializer.Deserialize<Envelope>(bytes);
                    ProcessionalSerializer.Deserialize<Report>(bytes);
                }
            }
            """);

        var (result, output) = GeneratorHarness.RunGenerator(compilation);

        Assert.Empty(await GeneratorHarness.RunAnalyzerAsync(compilation));
        Assert.Equal(["Shop.Tests.Report.g.cs"], result.GeneratedSources.Select(s => s.HintName));
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public async Task Diagnostics_are_the_same_on_the_compilation_that_holds_the_generated_files()
    {
        // In a build, analyzers see the generated formatters: they must not pass for hand-written ones.
        var compilation = GeneratorHarness.CreateCompilation(Usings + """
            public class Order { public int Id { get; set; } public Line? Line { get; set; } }
            public class Line { public Stream? Attachment { get; set; } public object? Tag { get; set; } }

            public static class Use { public static byte[] Run(Order o) => ProcessionalSerializer.Serialize(o); }
            """);
        var (result, output) = GeneratorHarness.RunGenerator(compilation);

        var before = await GeneratorHarness.RunAnalyzerAsync(compilation);
        var after = await GeneratorHarness.RunAnalyzerAsync(output);

        Assert.Equal(["Shop.Line.g.cs", "Shop.Order.g.cs"], result.GeneratedSources.Select(s => s.HintName));
        Assert.Equal([DiagnosticIds.ResourceType, DiagnosticIds.UntypedValue], before.Select(d => d.Id));
        Assert.Equal(before.Select(d => d.ToString()), after.Select(d => d.ToString()));
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public async Task Every_root_that_reaches_a_problem_through_a_cycle_reports_it_and_clean_cycles_report_nothing()
    {
        var compilation = GeneratorHarness.CreateCompilation(Usings + """
            public class A { public B? B { get; set; } }
            public class B { public A? A { get; set; } public Stream? Log { get; set; } }
            public class C { public A? A { get; set; } }
            public class D { public E? E { get; set; } }
            public class E { public D? D { get; set; } public int X { get; set; } }

            public static class Use
            {
                public static void Run(A a, B b, C c, D d, E e)
                {
                    ProcessionalSerializer.Serialize(d);
                    ProcessionalSerializer.Serialize(c);
                    ProcessionalSerializer.Serialize(b);
                    ProcessionalSerializer.Serialize(a);
                    ProcessionalSerializer.Serialize(e);
                }
            }
            """);

        var diagnostics = await GeneratorHarness.RunAnalyzerAsync(compilation);

        Assert.Equal(
            ["'C.A.B.Log'", "'B.Log'", "'A.B.Log'"],
            diagnostics.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Split(' ')[0]));
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticIds.ResourceType, d.Id));
    }

    private static async Task ExpectAsync(string id, string messageStart, string marked, DiagnosticSeverity severity = DiagnosticSeverity.Error)
    {
        var markup = Markup.Parse(Usings + marked);
        var compilation = GeneratorHarness.CreateCompilation(markup.Source);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var diagnostic = Assert.Single(await GeneratorHarness.RunAnalyzerAsync(compilation));

        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(severity, diagnostic.Severity);
        Assert.Equal(markup.Span, diagnostic.Location.SourceSpan);
        Assert.Equal(markup.LineSpan, diagnostic.Location.GetLineSpan().Span);
        Assert.StartsWith(messageStart, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }
}
