using System.Diagnostics.CodeAnalysis;
using Processional.Serialization;

namespace Processional.Rpc;

/// <summary>
/// A call being made, as a generated proxy sees it: the header is written, <see cref="Writer"/> takes the arguments in
/// declaration order, and one of the <c>Send</c> methods sends it and returns (or waits for) its outcome.
/// </summary>
public ref struct RpcCall
{
    internal const byte NoProgress = 255;

    /// <summary>Writes the arguments.</summary>
    [SuppressMessage("Design", "CA1051", Justification = "A mutable ref struct field: generated code writes through it without copies.")]
    public ProcessionalWriter<RpcMessageBuffer> Writer;

    private readonly RpcConnection _connection;
    private readonly RpcMessageBuffer _buffer;
    private readonly ulong _callId;
    private readonly CancellationToken _cancellationToken;
    private object? _progress;
    private int _progressCount;

    internal RpcCall(RpcConnection connection, RpcMessageBuffer buffer, ulong callId, ulong objectId, uint methodId, CancellationToken cancellationToken)
    {
        _connection = connection;
        _buffer = buffer;
        _callId = callId;
        _cancellationToken = cancellationToken;
        Writer = new ProcessionalWriter<RpcMessageBuffer>(ref buffer.Self, connection.SerializerOptions);
        Writer.WriteUnmanaged((byte)RpcMessageType.Request);
        Writer.WriteUnmanaged(callId);
        Writer.WriteUnmanaged(objectId);
        Writer.WriteUnmanaged(methodId);
        Writer.WriteUnmanaged((byte)0); // flags, set when sent
    }

    // Request header: type (1), call id (8), object id (8), method id (4), then the flags.
    private const int FlagsOffset = 21;

    /// <summary>Writes an argument that is an object of a [Remote] interface: the receiver gets a proxy that calls back here.</summary>
    /// <typeparam name="T">The [Remote] interface.</typeparam>
    /// <param name="value">The object, or <see langword="null"/>.</param>
    public void WriteRemote<T>(T? value)
        where T : class => _connection.WriteObjectReference(ref Writer, value);

    /// <summary>Writes a handle to an object of the receiving process (a captured <see cref="Remote{T}"/>): it becomes the live object there.</summary>
    /// <typeparam name="T">The type of the object.</typeparam>
    /// <param name="handle">The handle, or <see langword="null"/>.</param>
    public void WriteHandle<T>(Remote<T>? handle) => _connection.WriteHandle(ref Writer, handle);

    /// <summary>Sends the call and returns a task of the handle to the object it keeps on the receiving side.</summary>
    /// <typeparam name="T">The type of the object.</typeparam>
    /// <returns>The handle.</returns>
    public ValueTask<Remote<T>?> SendHandleAsync<T>() => SendAsync(HandleResultReader<T>.Instance);

    /// <summary>Writes an <see cref="IProgress{T}"/> argument: the callee's reports reach <paramref name="progress"/>, in order, before the call completes.</summary>
    /// <typeparam name="T">The type of progress value.</typeparam>
    /// <param name="progress">The caller's progress, or <see langword="null"/>.</param>
    public void WriteProgress<T>(IProgress<T>? progress)
    {
        if (progress is null)
        {
            Writer.WriteUnmanaged(NoProgress);
            return;
        }

        var sink = new ProgressSink<T>(progress);
        var index = _progressCount++;
        if (index >= NoProgress)
        {
            throw new NotSupportedException("A call cannot take more than 254 progress arguments.");
        }

        _progress = _progress switch
        {
            null => sink,
            ProgressSink first => new[] { first, sink },
            ProgressSink[] many => (ProgressSink[])[.. many, sink],
            _ => _progress,
        };
        Writer.WriteUnmanaged((byte)index);
    }

    /// <summary>Sends the call and returns a task of its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <returns>The result, or the remote exception.</returns>
    public ValueTask<T> SendAsync<T>() => SendAsync(RpcResultReader<T>.Default);

    /// <summary>Sends the call and returns a task of the [Remote] interface's object it returns (a proxy).</summary>
    /// <typeparam name="T">The [Remote] interface.</typeparam>
    /// <returns>A proxy of the returned object, or <see langword="null"/>.</returns>
    public ValueTask<T?> SendRemoteAsync<T>()
        where T : class => SendAsync<T?>(RemoteResultReader<T>.Instance!);

    /// <summary>Sends a call that returns nothing and returns a task of its completion.</summary>
    /// <returns>A task that completes when the call did, or faults with the remote exception.</returns>
    public ValueTask SendAsync()
    {
        if (_cancellationToken.IsCancellationRequested)
        {
            Abandon();
            return ValueTask.FromCanceled(_cancellationToken);
        }

        var pending = PendingCall<VoidResult>.Rent(VoidResultReader.Instance, synchronous: false);
        var task = pending.AsValueTaskOfVoid();
        Send(pending, RpcRequestFlags.None);
        return task;
    }

    /// <summary>Sends the call and blocks until its result arrives.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <returns>The result.</returns>
    public T Send<T>() => SendAndWait(RpcResultReader<T>.Default)!;

    /// <summary>Sends the call and blocks until the [Remote] interface's object it returns arrives (as a proxy).</summary>
    /// <typeparam name="T">The [Remote] interface.</typeparam>
    /// <returns>A proxy of the returned object, or <see langword="null"/>.</returns>
    public T? SendRemote<T>()
        where T : class => SendAndWait<T?>(RemoteResultReader<T>.Instance!);

    /// <summary>Sends a call that returns nothing and blocks until it completed.</summary>
    public void Send() => SendAndWait(VoidResultReader.Instance);

    /// <summary>Sends a one-way call: no reply comes back.</summary>
    public void SendOneWay()
    {
        Writer.Flush();
        _buffer.SetByte(FlagsOffset, (byte)RpcRequestFlags.OneWay);
        _connection.SendRequest(_buffer, pending: null);
    }

    /// <summary>Sends a call whose result is a stream; its items arrive as they are consumed.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <returns>The stream; it can be enumerated once.</returns>
    public IAsyncEnumerable<T> SendStream<T>()
    {
        var stream = new RemoteStream<T>(_connection, _connection.StreamWindow);
        stream.Initialize(_connection, _callId, _cancellationToken, _progress);
        Writer.Flush();
        _buffer.SetByte(FlagsOffset, (byte)(RpcRequestFlags.Stream | RpcRequestFlags.Cancelable));
        _connection.SendRequest(_buffer, stream);
        return stream;
    }

    private ValueTask<T> SendAsync<T>(RpcResultReader<T> resultReader)
    {
        if (_cancellationToken.IsCancellationRequested)
        {
            Abandon();
            return ValueTask.FromCanceled<T>(_cancellationToken);
        }

        var pending = PendingCall<T>.Rent(resultReader, synchronous: false);
        var task = pending.AsValueTask();
        Send(pending, RpcRequestFlags.None);
        return task;
    }

    private T? SendAndWait<T>(RpcResultReader<T> resultReader)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        var pending = PendingCall<T>.Rent(resultReader, synchronous: true);
        Send(pending, RpcRequestFlags.None);
        return pending.Wait();
    }

    private void Send(PendingCall pending, RpcRequestFlags flags)
    {
        pending.Initialize(_connection, _callId, _cancellationToken, _progress);
        if (_cancellationToken.CanBeCanceled)
        {
            flags |= RpcRequestFlags.Cancelable;
        }

        Writer.Flush();
        _buffer.SetByte(FlagsOffset, (byte)flags);
        _connection.SendRequest(_buffer, pending);
    }

    private readonly void Abandon() => _buffer.Return();
}
