using Processional.Serialization;

namespace Processional.Rpc;

/// <summary>Writes an exported object by value with the formatter of the type it was exported as (a handle's FetchAsync).</summary>
internal interface IRemoteValueWriter
{
    void Write(ref ProcessionalWriter<RpcMessageBuffer> writer, object value);
}

/// <summary>Writes values exported as <typeparamref name="T"/>.</summary>
internal sealed class RemoteValueWriter<T> : IRemoteValueWriter
{
    public static readonly RemoteValueWriter<T> Instance = new();

    public void Write(ref ProcessionalWriter<RpcMessageBuffer> writer, object value) => writer.WriteValue((T)value);
}
