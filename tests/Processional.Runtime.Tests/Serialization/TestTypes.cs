using System.Buffers;
using Processional.Serialization;

namespace Processional.Tests.Serialization;

// Small user types with hand-written formatters that stand in for the ones the source generator writes: an object is
// a member count then the members in declaration order (MemoryPack's object layout), and generated code writes
// non-primitive members with WriteValue / ReadValue, as these do.

internal sealed class Point
{
    public int X { get; set; }

    public int Y { get; set; }
}

internal sealed class Person
{
    public int Age { get; set; }

    public string? Name { get; set; }
}

/// <summary>A recursive type, to forge deep nesting through objects.</summary>
internal sealed class Node
{
    public int Value { get; set; }

    public Node? Next { get; set; }
}

/// <summary>A recursive type through a collection, to forge deep nesting through lists.</summary>
internal sealed class Tree
{
    public List<Tree>? Children { get; set; }
}

internal interface IShape
{
}

internal sealed class Xyz : IShape
{
    public int XYZ { get; set; }
}

internal sealed class Circle : IShape
{
    public double Radius { get; set; }
}

/// <summary>An unmanaged user struct: arrays of it are one block copy.</summary>
internal struct Pixel
{
    public byte R;
    public byte G;
    public byte B;
    public int Tag;
}

internal enum Color : byte
{
    Red = 1,
    Green = 2,
}

/// <summary>Version 1 of a version-tolerant type.</summary>
internal sealed class ContractV1
{
    public int A { get; set; }

    public string? B { get; set; }
}

/// <summary>Version 2 of the same type: a member added at the end.</summary>
internal sealed class ContractV2
{
    public int A { get; set; }

    public string? B { get; set; }

    public List<int>? C { get; set; }
}

/// <summary>A small object graph of primitives and strings, for the allocation test.</summary>
internal sealed class Customer
{
    public int Id { get; set; }

    public string? Name { get; set; }

    public double Balance { get; set; }

    public Address? Home { get; set; }

    public string[]? Tags { get; set; }
}

internal sealed class Address
{
    public string? City { get; set; }

    public int Zip { get; set; }
}

internal sealed class PointFormatter : ProcessionalFormatter<Point>
{
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Point? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader(2);
        writer.WriteUnmanaged(value.X);
        writer.WriteUnmanaged(value.Y);
    }

    public override void Deserialize(ref ProcessionalReader reader, scoped ref Point? value)
    {
        if (!reader.TryReadObjectHeader(out var count))
        {
            value = null;
            return;
        }

        if (count > 2)
        {
            reader.ThrowInvalid($"Point has 2 members, not {count}");
        }

        value = new Point
        {
            X = count > 0 ? reader.ReadUnmanaged<int>() : 0,
            Y = count > 1 ? reader.ReadUnmanaged<int>() : 0,
        };
    }
}

internal sealed class PersonFormatter : ProcessionalFormatter<Person>
{
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Person? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader(2);
        writer.WriteUnmanaged(value.Age);
        writer.WriteString(value.Name);
    }

    public override void Deserialize(ref ProcessionalReader reader, scoped ref Person? value)
    {
        if (!reader.TryReadObjectHeader(out var count))
        {
            value = null;
            return;
        }

        if (count > 2)
        {
            reader.ThrowInvalid($"Person has 2 members, not {count}");
        }

        value = new Person
        {
            Age = count > 0 ? reader.ReadUnmanaged<int>() : 0,
            Name = count > 1 ? reader.ReadString() : null,
        };
    }
}

internal sealed class NodeFormatter : ProcessionalFormatter<Node>
{
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Node? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader(2);
        writer.WriteUnmanaged(value.Value);
        writer.WriteValue(value.Next);
    }

    public override void Deserialize(ref ProcessionalReader reader, scoped ref Node? value)
    {
        if (!reader.TryReadObjectHeader(out var count))
        {
            value = null;
            return;
        }

        if (count > 2)
        {
            reader.ThrowInvalid($"Node has 2 members, not {count}");
        }

        value = new Node
        {
            Value = count > 0 ? reader.ReadUnmanaged<int>() : 0,
            Next = count > 1 ? reader.ReadValue<Node>() : null,
        };
    }
}

internal sealed class TreeFormatter : ProcessionalFormatter<Tree>
{
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Tree? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader(1);
        writer.WriteValue(value.Children);
    }

    public override void Deserialize(ref ProcessionalReader reader, scoped ref Tree? value)
    {
        if (!reader.TryReadObjectHeader(out var count))
        {
            value = null;
            return;
        }

        if (count > 1)
        {
            reader.ThrowInvalid($"Tree has 1 member, not {count}");
        }

        value = new Tree { Children = count > 0 ? reader.ReadValue<List<Tree>>() : null };
    }
}

/// <summary>A union: tag 0 is <see cref="Xyz"/>, tag 1 is <see cref="Circle"/>; each value follows with its own header.</summary>
internal sealed class ShapeFormatter : ProcessionalFormatter<IShape>
{
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref IShape? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullUnionHeader();
                break;
            case Xyz xyz:
                writer.WriteUnionHeader(0);
                writer.WriteObjectHeader(1);
                writer.WriteUnmanaged(xyz.XYZ);
                break;
            case Circle circle:
                writer.WriteUnionHeader(1);
                writer.WriteObjectHeader(1);
                writer.WriteUnmanaged(circle.Radius);
                break;
            default:
                throw new ProcessionalSerializationException($"{value.GetType()} is not a known IShape.");
        }
    }

    public override void Deserialize(ref ProcessionalReader reader, scoped ref IShape? value)
    {
        if (!reader.TryReadUnionHeader(out var tag))
        {
            value = null;
            return;
        }

        if (tag > 1)
        {
            reader.ThrowInvalid($"IShape has no tag {tag}");
        }

        if (!reader.TryReadObjectHeader(out var count))
        {
            value = null;
            return;
        }

        if (count > 1)
        {
            reader.ThrowInvalid($"An IShape case has 1 member, not {count}");
        }

        value = tag == 0
            ? new Xyz { XYZ = count > 0 ? reader.ReadUnmanaged<int>() : 0 }
            : new Circle { Radius = count > 0 ? reader.ReadUnmanaged<double>() : 0 };
    }
}

/// <summary>Reads the version-tolerant member table that <see cref="VersionTolerantMembers"/> writes, as generated code would.</summary>
internal static class VersionTolerantReading
{
    /// <summary>Reads the header and the member lengths; returns null for a null object.</summary>
    public static int[]? ReadLengths(ref ProcessionalReader reader)
    {
        if (!reader.TryReadObjectHeader(out var count))
        {
            return null;
        }

        var lengths = new int[count];
        for (var i = 0; i < count; i++)
        {
            lengths[i] = reader.ReadVarIntInt32();
            if (lengths[i] < 0 || lengths[i] > reader.Remaining)
            {
                reader.ThrowInvalid($"Member {i} claims {lengths[i]} bytes");
            }
        }

        return lengths;
    }

    /// <summary>Checks that a member took exactly the bytes its length said.</summary>
    public static void CheckMember(ref ProcessionalReader reader, long start, int length, int index)
    {
        if (reader.Consumed - start != length)
        {
            reader.ThrowInvalid($"Member {index} took {reader.Consumed - start} bytes, but its length says {length}");
        }
    }
}

internal sealed class ContractV1Formatter : ProcessionalFormatter<ContractV1>
{
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ContractV1? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        var members = VersionTolerantMembers.Rent(writer.Options, writer.Depth);
        members.Write(value.A);
        members.Write(value.B);
        members.WriteTo(ref writer);
    }

    public override void Deserialize(ref ProcessionalReader reader, scoped ref ContractV1? value)
    {
        var lengths = VersionTolerantReading.ReadLengths(ref reader);
        if (lengths is null)
        {
            value = null;
            return;
        }

        value = new ContractV1();
        for (var i = 0; i < lengths.Length; i++)
        {
            var start = reader.Consumed;
            switch (i)
            {
                case 0:
                    value.A = reader.ReadValue<int>();
                    break;
                case 1:
                    value.B = reader.ReadValue<string>();
                    break;
                default:
                    reader.Skip(lengths[i]);
                    break;
            }

            VersionTolerantReading.CheckMember(ref reader, start, lengths[i], i);
        }
    }
}

internal sealed class ContractV2Formatter : ProcessionalFormatter<ContractV2>
{
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ContractV2? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        var members = VersionTolerantMembers.Rent(writer.Options, writer.Depth);
        members.Write(value.A);
        members.Write(value.B);
        members.Write(value.C);
        members.WriteTo(ref writer);
    }

    public override void Deserialize(ref ProcessionalReader reader, scoped ref ContractV2? value)
    {
        var lengths = VersionTolerantReading.ReadLengths(ref reader);
        if (lengths is null)
        {
            value = null;
            return;
        }

        value = new ContractV2();
        for (var i = 0; i < lengths.Length; i++)
        {
            var start = reader.Consumed;
            switch (i)
            {
                case 0:
                    value.A = reader.ReadValue<int>();
                    break;
                case 1:
                    value.B = reader.ReadValue<string>();
                    break;
                case 2:
                    value.C = reader.ReadValue<List<int>>();
                    break;
                default:
                    reader.Skip(lengths[i]);
                    break;
            }

            VersionTolerantReading.CheckMember(ref reader, start, lengths[i], i);
        }
    }
}

internal sealed class CustomerFormatter : ProcessionalFormatter<Customer>
{
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Customer? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader(5);
        writer.WriteUnmanaged(value.Id);
        writer.WriteString(value.Name);
        writer.WriteUnmanaged(value.Balance);
        writer.WriteValue(value.Home);
        writer.WriteValue(value.Tags);
    }

    public override void Deserialize(ref ProcessionalReader reader, scoped ref Customer? value)
    {
        if (!reader.TryReadObjectHeader(out var count))
        {
            value = null;
            return;
        }

        if (count > 5)
        {
            reader.ThrowInvalid($"Customer has 5 members, not {count}");
        }

        value = new Customer
        {
            Id = count > 0 ? reader.ReadUnmanaged<int>() : 0,
            Name = count > 1 ? reader.ReadString() : null,
            Balance = count > 2 ? reader.ReadUnmanaged<double>() : 0,
            Home = count > 3 ? reader.ReadValue<Address>() : null,
            Tags = count > 4 ? reader.ReadValue<string[]>() : null,
        };
    }
}

internal sealed class AddressFormatter : ProcessionalFormatter<Address>
{
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Address? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader(2);
        writer.WriteString(value.City);
        writer.WriteUnmanaged(value.Zip);
    }

    public override void Deserialize(ref ProcessionalReader reader, scoped ref Address? value)
    {
        if (!reader.TryReadObjectHeader(out var count))
        {
            value = null;
            return;
        }

        if (count > 2)
        {
            reader.ThrowInvalid($"Address has 2 members, not {count}");
        }

        value = new Address
        {
            City = count > 0 ? reader.ReadString() : null,
            Zip = count > 1 ? reader.ReadUnmanaged<int>() : 0,
        };
    }
}

/// <summary>Registers the stand-in formatters once, as a generated module initializer would.</summary>
internal static class TestFormatters
{
    private static int s_registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 1)
        {
            return;
        }

        ProcessionalFormatterProvider.Register(new PointFormatter());
        ProcessionalFormatterProvider.Register(new PersonFormatter());
        ProcessionalFormatterProvider.Register(new NodeFormatter());
        ProcessionalFormatterProvider.Register(new TreeFormatter());
        ProcessionalFormatterProvider.Register(new ShapeFormatter());
        ProcessionalFormatterProvider.Register(new ContractV1Formatter());
        ProcessionalFormatterProvider.Register(new ContractV2Formatter());
        ProcessionalFormatterProvider.Register(new CustomerFormatter());
        ProcessionalFormatterProvider.Register(new AddressFormatter());
    }
}

/// <summary>Hex helpers for byte-exact assertions.</summary>
internal static class Hex
{
    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    /// <summary>Serializes and returns upper-case hex with no spaces.</summary>
    public static string Serialize<T>(T? value, ProcessionalSerializerOptions? options = null) => Of(ProcessionalSerializer.Serialize(value, options));

    public static string Normalize(string hex) => hex.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    public static ReadOnlySequence<byte> Segmented(byte[] bytes, int segmentSize) => SegmentedSequence.Split(bytes, segmentSize);
}
