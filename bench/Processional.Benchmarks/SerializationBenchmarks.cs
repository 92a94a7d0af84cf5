using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Processional.Serialization;

namespace Processional.Benchmarks;

/// <summary>
/// <see cref="ProcessionalSerializer"/> (MemoryPack's wire format) against System.Text.Json with its source generator,
/// the baseline of each category: a small object, a list of 1,000 of them and a 1,000,000-element <c>double[]</c>,
/// serialized into a reused buffer writer (so that only the serializer's own allocations show) and deserialized from
/// a byte array.
/// </summary>
/// <remarks>dotnet run -c Release --project bench/Processional.Benchmarks -- --filter '*SerializationBenchmarks*' --job short</remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SerializationBenchmarks
{
    private SmallObject _small = null!;
    private List<SmallObject> _list = null!;
    private double[] _doubles = null!;
    private ArrayBufferWriter<byte> _buffer = null!;
    private Utf8JsonWriter _json = null!;
    private byte[] _smallBytes = null!;
    private byte[] _smallJson = null!;
    private byte[] _listBytes = null!;
    private byte[] _listJson = null!;
    private byte[] _doublesBytes = null!;
    private byte[] _doublesJson = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _small = Create(random, 1);
        _list = Enumerable.Range(0, 1000).Select(i => Create(random, i)).ToList();
        _doubles = Enumerable.Range(0, 1_000_000).Select(_ => random.NextDouble() * 1e6).ToArray();

        _buffer = new ArrayBufferWriter<byte>(32 * 1024 * 1024);
        _json = new Utf8JsonWriter(_buffer);

        _smallBytes = ProcessionalSerializer.Serialize(_small);
        _listBytes = ProcessionalSerializer.Serialize(_list);
        _doublesBytes = ProcessionalSerializer.Serialize(_doubles);
        _smallJson = JsonSerializer.SerializeToUtf8Bytes(_small, BenchmarkJsonContext.Default.SmallObject);
        _listJson = JsonSerializer.SerializeToUtf8Bytes(_list, BenchmarkJsonContext.Default.ListSmallObject);
        _doublesJson = JsonSerializer.SerializeToUtf8Bytes(_doubles, BenchmarkJsonContext.Default.DoubleArray);
    }

    [GlobalCleanup]
    public void Cleanup() => _json.Dispose();

    [Benchmark(Baseline = true, Description = "System.Text.Json")]
    [BenchmarkCategory("1. Small object: serialize")]
    public int SmallSerializeJson()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        JsonSerializer.Serialize(_json, _small, BenchmarkJsonContext.Default.SmallObject);
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "Processional")]
    [BenchmarkCategory("1. Small object: serialize")]
    public int SmallSerialize()
    {
        _buffer.ResetWrittenCount();
        ProcessionalSerializer.Serialize(_buffer, _small);
        return _buffer.WrittenCount;
    }

    [Benchmark(Baseline = true, Description = "System.Text.Json")]
    [BenchmarkCategory("2. Small object: deserialize")]
    public SmallObject? SmallDeserializeJson() => JsonSerializer.Deserialize(_smallJson, BenchmarkJsonContext.Default.SmallObject);

    [Benchmark(Description = "Processional")]
    [BenchmarkCategory("2. Small object: deserialize")]
    public SmallObject? SmallDeserialize() => ProcessionalSerializer.Deserialize<SmallObject>(_smallBytes);

    [Benchmark(Baseline = true, Description = "System.Text.Json")]
    [BenchmarkCategory("3. List of 1,000: serialize")]
    public int ListSerializeJson()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        JsonSerializer.Serialize(_json, _list, BenchmarkJsonContext.Default.ListSmallObject);
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "Processional")]
    [BenchmarkCategory("3. List of 1,000: serialize")]
    public int ListSerialize()
    {
        _buffer.ResetWrittenCount();
        ProcessionalSerializer.Serialize(_buffer, _list);
        return _buffer.WrittenCount;
    }

    [Benchmark(Baseline = true, Description = "System.Text.Json")]
    [BenchmarkCategory("4. List of 1,000: deserialize")]
    public List<SmallObject>? ListDeserializeJson() => JsonSerializer.Deserialize(_listJson, BenchmarkJsonContext.Default.ListSmallObject);

    [Benchmark(Description = "Processional")]
    [BenchmarkCategory("4. List of 1,000: deserialize")]
    public List<SmallObject>? ListDeserialize() => ProcessionalSerializer.Deserialize<List<SmallObject>>(_listBytes);

    [Benchmark(Baseline = true, Description = "System.Text.Json")]
    [BenchmarkCategory("5. double[1,000,000]: serialize")]
    public int DoublesSerializeJson()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        JsonSerializer.Serialize(_json, _doubles, BenchmarkJsonContext.Default.DoubleArray);
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "Processional")]
    [BenchmarkCategory("5. double[1,000,000]: serialize")]
    public int DoublesSerialize()
    {
        _buffer.ResetWrittenCount();
        ProcessionalSerializer.Serialize(_buffer, _doubles);
        return _buffer.WrittenCount;
    }

    [Benchmark(Baseline = true, Description = "System.Text.Json")]
    [BenchmarkCategory("6. double[1,000,000]: deserialize")]
    public double[]? DoublesDeserializeJson() => JsonSerializer.Deserialize(_doublesJson, BenchmarkJsonContext.Default.DoubleArray);

    [Benchmark(Description = "Processional")]
    [BenchmarkCategory("6. double[1,000,000]: deserialize")]
    public double[]? DoublesDeserialize() => ProcessionalSerializer.Deserialize<double[]>(_doublesBytes);

    private static SmallObject Create(Random random, int id) => new()
    {
        Id = id,
        Name = "Product " + random.Next(100_000),
        Price = Math.Round(random.NextDouble() * 1000, 2),
        Quantity = random.Next(1000),
        InStock = random.Next(2) == 0,
        Timestamp = 638_000_000_000_000_000 + random.Next(),
    };
}
