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
