using Processional.Generators.Tests.Infrastructure;

namespace Processional.Generators.Tests;

/// <summary>
/// The generated source of each shape, compared with the files in <c>Baselines/</c> (see <see cref="Baseline"/> for how
/// to rewrite them). Each test also compiles the output and requires it to be free of warnings.
/// </summary>
public sealed class BaselineTests
{
    private const string Usings = """
        using System.Collections.Generic;
        using Processional.Serialization;

        namespace Shop;

        """;

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Class_with_properties_and_fields() => VerifyAsync(nameof(Class_with_properties_and_fields), """
        public class Person
        {
            public int Age { get; set; }
            public string Name { get; set; } = "";
            public double Score;
            public static int Count { get; set; }
            public const int Max = 3;
            private int _hidden = 1;
            internal int Internal { get; set; }
            public int Hidden => _hidden;
        }

        public static class Use { public static byte[] Run(Person p) => ProcessionalSerializer.Serialize(p); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Struct_with_references_and_unmanaged_struct() => VerifyAsync(nameof(Struct_with_references_and_unmanaged_struct), """
        public struct Point { public int X; public int Y; }
        public enum Kind : byte { A, B }
        public struct Labeled { public string? Label; public Point At; public Kind Kind; public Point[]? Path; }

        public static class Use { public static Labeled Run(byte[] b) => ProcessionalSerializer.Deserialize<Labeled>(b); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Positional_record() => VerifyAsync(nameof(Positional_record), """
        public sealed record Money(decimal Amount, string Currency);
        public record struct Range(int Start, int End);
        public sealed record Price(Money Value, Range Validity);

        public static class Use { public static byte[] Run(Price p) => ProcessionalSerializer.Serialize(p); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Nominal_record_with_init_and_required_members() => VerifyAsync(nameof(Nominal_record_with_init_and_required_members), """
        public sealed record Customer
        {
            public required int Id { get; init; }
            public required string Name { get; init; }
            public string? Email { get; init; }
            public required string Country;
        }

        public static class Use { public static byte[] Run(Customer c) => ProcessionalSerializer.Serialize(c); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Constructor_matching() => VerifyAsync(nameof(Constructor_matching), """
        public sealed class Reading
        {
            public Reading() { }
            public Reading(int sensor) => Sensor = sensor;
            public Reading(int sensor, double value, string unit = "C") { Sensor = sensor; Value = value; }
            public Reading(string notAMember, int sensor) { Sensor = sensor; }

            public int Sensor { get; }
            public double Value { get; }
            public string Description => $"{Sensor}: {Value}";
            public int[]? Samples { get; set; }
            public readonly long Stamp;
        }

        public class Base { public int @class { get; set; } }
        public sealed class Derived : Base
        {
            public Derived(int @class, string @event) { this.@class = @class; Event = @event; }
            public string Event { get; }
        }

        public static class Use
        {
            public static byte[] Run(Reading r, Derived d) => [.. ProcessionalSerializer.Serialize(r), .. ProcessionalSerializer.Serialize(d)];
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Nested_type() => VerifyAsync(nameof(Nested_type), """
        public static class Outer
        {
            public class Middle
            {
                public sealed class Inner { public string? Text { get; set; } }
            }
        }

        public static class Use { public static byte[] Run(Outer.Middle.Inner i) => ProcessionalSerializer.Serialize(i); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Generic_type_closed_two_ways() => VerifyAsync(nameof(Generic_type_closed_two_ways), """
        public sealed class Box<T> { public T Value { get; set; } = default!; public List<T>? More { get; set; } }
        public sealed class Order { public int Id { get; set; } }

        public static class Use
        {
            public static void Run(Box<int> a, Box<Order?> b, Box<Order> c)
            {
                ProcessionalSerializer.Serialize(a);
                ProcessionalSerializer.Serialize(b);
                ProcessionalSerializer.Serialize(c);
            }
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Collection_members() => VerifyAsync(nameof(Collection_members), """
        public sealed class Line { public int Quantity { get; set; } }
        public sealed class Order
        {
            public int[]? Codes { get; set; }
            public Line[]? LineArray { get; set; }
            public List<Line>? LineList { get; set; }
            public Dictionary<string, Line>? ByName { get; set; }
            public IReadOnlyList<Line>? ReadOnlyLines { get; set; }
            public IReadOnlyDictionary<string, int>? Stock { get; set; }
            public ISet<string?>? Labels { get; set; }
            public IEnumerable<IReadOnlyList<int>>? Grid { get; set; }
            public List<string> Tags { get; } = new();
        }

        public static class Use { public static byte[] Run(Order o) => ProcessionalSerializer.Serialize(o); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Union_of_derived_types() => VerifyAsync(nameof(Union_of_derived_types), """
        public abstract class Shape { public string? Name { get; set; } }
        public sealed class Square : Shape { public double Side { get; set; } }
        public class Circle : Shape { public double Radius { get; set; } }
        public sealed class Ring : Circle { public double Inner { get; set; } }
        public abstract class Polygon : Shape { }
        public sealed class Generic<T> : Shape { }

        public static class Use { public static Shape? Run(byte[] b) => ProcessionalSerializer.Deserialize<Shape>(b); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Union_listed_by_attribute() => VerifyAsync(nameof(Union_listed_by_attribute), """
        [Union(0, typeof(Ping))]
        [Union(300, typeof(Pong))]
        public interface IMessage { }
        public sealed class Ping : IMessage { public int Id { get; set; } }
        public struct Pong : IMessage { public string? Text { get; set; } }
        public sealed class NotListed : IMessage { }

        public static class Use { public static byte[] Run(IMessage m) => ProcessionalSerializer.Serialize(m); }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Version_tolerant() => VerifyAsync(nameof(Version_tolerant), """
        [VersionTolerant]
        public sealed class Settings
        {
            public int Retries { get; set; }
            public string? Endpoint { get; set; }
            public int[]? Ports { get; set; }
        }

        [VersionTolerant]
        public struct Flags { public bool On; }

        public static class Use { public static void Run(Settings s, Flags f) { ProcessionalSerializer.Serialize(s); ProcessionalSerializer.Serialize(f); } }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Ignored_members() => VerifyAsync(nameof(Ignored_members), """
        public class Account
        {
            public int Id { get; set; }
            [IgnoreMember] public string? Password { get; set; }
            [IgnoreMember] public required string Session { get; set; }
            [IgnoreMember] public System.IO.Stream? Log;
        }

        public struct Sample { public int Value; [IgnoreMember] public int Cache; }

        public class Base { [IgnoreMember] public virtual int Inherited { get; set; } public virtual int OnOverride { get; set; } public int Kept { get; set; } }
        public sealed class Derived : Base { public override int Inherited { get; set; } [IgnoreMember] public override int OnOverride { get; set; } }

        public static class Use
        {
            public static void Run(Account a, Sample s, Derived d)
            {
                ProcessionalSerializer.Serialize(a);
                ProcessionalSerializer.Serialize(s);
                ProcessionalSerializer.Serialize(d);
            }
        }
        """);

    private static Task VerifyAsync(string name, string source)
    {
        var compilation = GeneratorHarness.CreateCompilation(Usings + source);
        var (result, output) = GeneratorHarness.RunGenerator(compilation);

        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Baseline.Verify(name, result);
        return Task.CompletedTask;
    }
}
