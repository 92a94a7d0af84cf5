using Processional.Serialization;

namespace Processional.Rpc;

/// <summary>Writes the result of a call: with its formatter, or as a reference to an object of this side.</summary>
internal abstract class RpcResultWriter<T>
{
    public static readonly RpcResultWriter<T> Default = typeof(T) == typeof(VoidResult) ? new VoidWriter() : new FormatterWriter();

    public abstract void Write(ref ProcessionalWriter<RpcMessageBuffer> writer, T? value, RpcConnection connection);

    private sealed class FormatterWriter : RpcResultWriter<T>
    {
        public override void Write(ref ProcessionalWriter<RpcMessageBuffer> writer, T? value, RpcConnection connection) => writer.WriteValue(value);
    }

    private sealed class VoidWriter : RpcResultWriter<T>
    {
        public override void Write(ref ProcessionalWriter<RpcMessageBuffer> writer, T? value, RpcConnection connection)
        {
        }
    }
}

/// <summary>Writes a result that is an object of a <see cref="RemoteAttribute">[Remote]</see> interface, as a reference.</summary>
internal sealed class RemoteResultWriter<T> : RpcResultWriter<T>
    where T : class
{
    public static readonly RemoteResultWriter<T> Instance = new();

    public override void Write(ref ProcessionalWriter<RpcMessageBuffer> writer, T? value, RpcConnection connection) =>
        connection.WriteObjectReference(ref writer, value);
}

/// <summary>Writes a reference to an object this side just exported (its id).</summary>
internal sealed class ExportedHandleWriter : RpcResultWriter<ulong>
{
    public static readonly ExportedHandleWriter Instance = new();

    public override void Write(ref ProcessionalWriter<RpcMessageBuffer> writer, ulong value, RpcConnection connection)
    {
        writer.WriteUnmanaged((byte)1);
        writer.WriteUnmanaged(value);
    }
}

/// <summary>Writes an exported object by value (a handle's FetchAsync).</summary>
internal sealed class ExportedValueWriter : RpcResultWriter<ulong>
{
    public static readonly ExportedValueWriter Instance = new();

    public override void Write(ref ProcessionalWriter<RpcMessageBuffer> writer, ulong value, RpcConnection connection) =>
        connection.WriteExportedValue(ref writer, value);
}
