using Processional.Serialization;

namespace Processional.Rpc;

/// <summary>Options of an <see cref="RpcConnection"/>.</summary>
public sealed class RpcConnectionOptions
{
    /// <summary>The defaults.</summary>
    public static RpcConnectionOptions Default { get; } = new();

    /// <summary>How arguments and results are serialized, and the limits applied to what is read. Default: the serializer's defaults.</summary>
    public ProcessionalSerializerOptions Serializer { get; init; } = ProcessionalSerializerOptions.Default;

    /// <summary>
    /// How many items of a streamed result (<see cref="IAsyncEnumerable{T}"/>) the producer may send ahead of the
    /// consumer. Default: 64.
    /// </summary>
    public int StreamWindow { get; init; } = 64;

    /// <summary>A name for the connection in error messages; default: a description of the transport.</summary>
    public string? Name { get; init; }
}
