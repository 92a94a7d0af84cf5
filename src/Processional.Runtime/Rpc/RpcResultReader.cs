using Processional.Serialization;

namespace Processional.Rpc;

/// <summary>Reads the result of a call: with its formatter, or as a reference to a remote object.</summary>
internal abstract class RpcResultReader<T>
{
    public static readonly RpcResultReader<T> Default = new FormatterResultReader();

    public abstract T? Read(ref ProcessionalReader reader, RpcConnection connection);

    private sealed class FormatterResultReader : RpcResultReader<T>
    {
        public override T? Read(ref ProcessionalReader reader, RpcConnection connection) => reader.ReadValue<T>();
    }
}

/// <summary>Reads a result that is a reference to an object of a <see cref="RemoteAttribute">[Remote]</see> interface.</summary>
internal sealed class RemoteResultReader<T> : RpcResultReader<T>
    where T : class
{
    public static readonly RemoteResultReader<T> Instance = new();

    public override T? Read(ref ProcessionalReader reader, RpcConnection connection) => connection.ReadObjectReference<T>(ref reader);
}

/// <summary>The result of a call with no value.</summary>
internal readonly struct VoidResult
{
}

/// <summary>Reads the empty result of a call with no value.</summary>
internal sealed class VoidResultReader : RpcResultReader<VoidResult>
{
    public static readonly VoidResultReader Instance = new();

    public override VoidResult Read(ref ProcessionalReader reader, RpcConnection connection) => default;
}

/// <summary>Reads a result that is a handle to an object kept by the callee.</summary>
internal sealed class HandleResultReader<T> : RpcResultReader<Remote<T>?>
{
    public static readonly HandleResultReader<T> Instance = new();

    public override Remote<T>? Read(ref ProcessionalReader reader, RpcConnection connection) => connection.ReadHandle<T>(ref reader);
}
