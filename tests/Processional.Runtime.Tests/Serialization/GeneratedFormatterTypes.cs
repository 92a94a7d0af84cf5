using System.Diagnostics.CodeAnalysis;
using Processional.Serialization;

// Types whose formatters the source generator writes because GeneratedFormatterTests passes them to ProcessionalSerializer.
namespace Processional.Tests.Serialization.Generated;

public sealed class XY
{
    public int X { get; set; }

    public int Y { get; set; }
}

public sealed class Person
{
    public int Age { get; set; }

    public string? Name { get; set; }
}

public struct Point
{
    public int X;
    public int Y;
}

public struct Labeled
{
    public string? Label;
    public Point At;
}

public sealed record Money(decimal Amount, string Currency);

public sealed record Customer(int Id, string Name)
{
    public string? Email { get; init; }

    public required string Country { get; init; }
}

public sealed class Reading
{
    public Reading(int sensor, double value)
    {
        Sensor = sensor;
        Value = value;
    }

    public Reading()
    {
    }

    public int Sensor { get; }

    public double Value { get; }

    public string Description => $"{Sensor}: {Value}";

    public int[]? Samples { get; set; }
}

public static class Outer
{
    public sealed class Inner
    {
        public string? Text { get; set; }
    }
}

public sealed class Box<T>
{
    public T Value { get; set; } = default!;
}

public abstract class Shape
{
    public string? Name { get; set; }
}

public sealed class Circle : Shape
{
    public double Radius { get; set; }
}

public sealed class Square : Shape
{
    public double Side { get; set; }
}

public sealed class Drawing
{
    public Shape? Main { get; set; }

    public Shape? Second { get; set; }

    public Shape? Missing { get; set; }
}

[Union(0, typeof(Xyz))]
[Union(300, typeof(Abc))]
public interface IMessage
{
}

public sealed class Xyz : IMessage
{
    public int XYZ { get; set; }
}

public struct Abc : IMessage
{
    public string? Text { get; set; }
}

[VersionTolerant]
public sealed class SettingsV1
{
    public int A { get; set; }

    public string? B { get; set; }
}

[VersionTolerant]
public sealed class SettingsV2
{
    public int A { get; set; }

    public string? B { get; set; }

    public double C { get; set; }
}

public sealed class PlainV1
{
    public int A { get; set; }
}

public sealed class PlainV2
{
    public int A { get; set; }

    public int B { get; set; }
}

public sealed class WithIgnored
{
    public int Kept { get; set; }

    [IgnoreMember]
    public string? Secret { get; set; }
}

[SuppressMessage("Design", "CA1002", Justification = "A get-only List<T> is the shape under test.")]
public sealed class Tagged
{
    public int Id { get; set; }

    public List<string> Tags { get; } = [];
}

public enum Color : byte
{
    Red = 1,
    Green = 2,
}

public sealed class Paint
{
    public Color Color { get; set; }

    public Point[]? Strokes { get; set; }
}
