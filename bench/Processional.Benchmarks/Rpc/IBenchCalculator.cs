using System.Text.Json.Serialization;
using Processional;

namespace Processional.Benchmarks.Rpc;

/// <summary>The interface of the RPC benchmarks; the generator writes its proxy and dispatcher.</summary>
[Remote]
public interface IBenchCalculator
{
    ValueTask<int> AddAsync(int a, int b);

    int Add(int a, int b);
}

internal sealed class BenchCalculator : IBenchCalculator
{
    public ValueTask<int> AddAsync(int a, int b) => ValueTask.FromResult(a + b);

    public int Add(int a, int b) => a + b;
}

/// <summary>The request of the Kestrel comparison.</summary>
public sealed record AddRequest(int A, int B);

[JsonSerializable(typeof(AddRequest))]
[JsonSerializable(typeof(int))]
internal sealed partial class RpcBenchJsonContext : JsonSerializerContext;
