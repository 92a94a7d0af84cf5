using System.Buffers;
using Processional.Serialization;

namespace Processional.Benchmarks;

/// <summary>The small object of the serialization benchmark: a few primitives and a string, like a typical RPC argument.</summary>
public sealed class SmallObject
{
    public int Id { get; set; }

    public string? Name { get; set; }

    public double Price { get; set; }

    public int Quantity { get; set; }

    public bool InStock { get; set; }

    public long Timestamp { get; set; }
}

/// <summary>
/// Stands in for the formatter Processional's source generator will write for <see cref="SmallObject"/> (the generator is
/// being written in parallel): an object header with the member count, then the members in declaration order.
/// </summary>
public sealed class SmallObjectFormatter : ProcessionalFormatter<SmallObject>
{
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref SmallObject? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader(6);
        writer.WriteUnmanaged(value.Id);
        writer.WriteString(value.Name);
        writer.WriteUnmanaged(value.Price);
        writer.WriteUnmanaged(value.Quantity);
        writer.WriteUnmanaged(value.InStock);
        writer.WriteUnmanaged(value.Timestamp);
    }

    public override void Deserialize(ref ProcessionalReader reader, scoped ref SmallObject? value)
    {
        if (!reader.TryReadObjectHeader(out var count))
        {
            value = null;
            return;
        }

        if (count > 6)
        {
            reader.ThrowInvalid($"SmallObject has 6 members, not {count}");
        }

        value = new SmallObject
        {
            Id = count > 0 ? reader.ReadUnmanaged<int>() : 0,
            Name = count > 1 ? reader.ReadString() : null,
            Price = count > 2 ? reader.ReadUnmanaged<double>() : 0,
            Quantity = count > 3 ? reader.ReadUnmanaged<int>() : 0,
            InStock = count > 4 && reader.ReadUnmanaged<bool>(),
            Timestamp = count > 5 ? reader.ReadUnmanaged<long>() : 0,
        };
    }
}
