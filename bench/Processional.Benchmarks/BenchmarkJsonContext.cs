using System.Text.Json.Serialization;

namespace Processional.Benchmarks;

/// <summary>System.Text.Json's source-generated metadata and fast-path serializers, the baseline of <see cref="SerializationBenchmarks"/>.</summary>
[JsonSerializable(typeof(SmallObject))]
[JsonSerializable(typeof(List<SmallObject>))]
[JsonSerializable(typeof(double[]))]
internal sealed partial class BenchmarkJsonContext : JsonSerializerContext
{
}
