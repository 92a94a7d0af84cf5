using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Processional.Serialization;

namespace Processional.Rpc;

/// <summary>
/// A call the peer made to an object of this side: its arguments (copied off the reading thread into a pooled buffer),
/// its cancellation, and the writing of its response. Pooled: a call that completes synchronously allocates nothing.
/// </summary>
internal sealed class IncomingCall : IOrderedWork
{
    private const int StateQueued = 0;
    private const int StateRunning = 1;
    private const int StateCanceled = 2;

    private static readonly ConcurrentQueue<IncomingCall> s_pool = new();

    private RpcConnection _connection = null!;
    private ExportedObject _target = null!;
    private byte[] _payload = [];
    private int _payloadLength;
    private CancellationTokenSource? _cancellation;
    private int _state;
    private bool _asynchronous;

    // Who finishes an asynchronous call: Run once it returned, or the completion once it is done, whichever is last.
    private int _asyncHandoff;

    public ulong CallId { get; private set; }

    public uint MethodId { get; private set; }

    public RpcRequestFlags Flags { get; private set; }

    public RpcConnection Connection => _connection;

    public bool IsOneWay => (Flags & RpcRequestFlags.OneWay) != 0;

    public static IncomingCall Rent(RpcConnection connection, ExportedObject target, ulong callId, uint methodId, RpcRequestFlags flags, ReadOnlySequence<byte> arguments)
    {
        if (!s_pool.TryDequeue(out var call))
        {
            call = new IncomingCall();
        }

        call._connection = connection;
        call._target = target;
        call.CallId = callId;
        call.MethodId = methodId;
        call.Flags = flags;
        call._state = StateQueued;
        call._asynchronous = false;
        call._asyncHandoff = 0;
        if ((flags & RpcRequestFlags.Cancelable) != 0)
        {
            // Created here, on the reading thread, so that a Cancel that follows always finds it.
            call._cancellation ??= new CancellationTokenSource();
        }

        var length = checked((int)arguments.Length);
        call._payload = length == 0 ? [] : ArrayPool<byte>.Shared.Rent(length);
        arguments.CopyTo(call._payload);
        call._payloadLength = length;
        return call;
    }

    /// <summary>
    /// The token handed to the method; canceled when the caller cancels the call or the connection is lost. A call sent
    /// without a token of its own shares the connection's, canceled only when the connection closes.
    /// </summary>
    public CancellationToken CancellationToken => (Flags & RpcRequestFlags.Cancelable) != 0 ? _cancellation!.Token : _connection!.UncancelableCallsToken;

    /// <summary>
    /// The peer canceled the call (or the connection is gone): cancel it before it starts, or signal the running method.
    /// Called under the connection's lock of incoming calls, which <see cref="Finish"/> also takes, so never on a recycled call.
    /// </summary>
    public void CancelFromPeer()
    {
        if (Interlocked.CompareExchange(ref _state, StateCanceled, StateQueued) == StateQueued)
        {
            return;
        }

        // CancelAsync runs the method's callbacks off the connection's reading thread.
        _ = _cancellation?.CancelAsync();
    }

    void IThreadPoolWorkItem.Execute() => Run();

    public bool Run()
    {
        if (Interlocked.CompareExchange(ref _state, StateRunning, StateQueued) != StateQueued)
        {
            RespondFailure(new OperationCanceledException("The call was canceled before it started."));
            Finish();
            return true;
        }

        try
        {
            var request = new RpcRequest(this, new ProcessionalReader(_payload.AsSpan(0, _payloadLength), _connection.SerializerOptions));
            if (!_target.TryDispatch(ref request))
            {
                RespondFailure(new NotSupportedException(
                    $"The {_target} has no method with id 0x{MethodId:x8}: the two ends were built from different versions of its interface."));
            }
        }
#pragma warning disable CA1031 // Whatever the method (or reading its arguments) throws is the call's outcome.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RespondFailure(ex);
        }

        if (_asynchronous && Interlocked.Exchange(ref _asyncHandoff, 1) == 0)
        {
            // The completion has not happened yet: it finishes the call and resumes the queue.
            return false;
        }

        Finish();
        return true;
    }

    /// <summary>The arguments are read: their buffer can go back to the pool before the method runs.</summary>
    public void ReleaseArguments()
    {
        if (_payload.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_payload);
        }

        _payload = [];
        _payloadLength = 0;
    }

    public void Respond<T>(T? value) => _connection.SendResponse(this, value, RpcResultWriter<T>.Default);

    public void RespondRemote<T>(T? value)
        where T : class => _connection.SendResponse(this, value, RemoteResultWriter<T>.Instance);

    public void RespondFailure(Exception exception) => _connection.SendFailure(this, exception);

    public void RespondHandle(ulong exportedId) => _connection.SendResponse(this, exportedId, ExportedHandleWriter.Instance);

    public void RespondExportedValue(ulong id) => _connection.SendResponse(this, id, ExportedValueWriter.Instance);

    public void CompleteLater(Task task) => CompleteLaterAsync(new ValueTask(task));

    public void CompleteLater<T>(Task<T> task, RpcResultWriter<T> writer) => CompleteLaterAsync(new ValueTask<T>(task), writer);

    public void CompleteLater(ValueTask task) => CompleteLaterAsync(task);

    public void CompleteLater<T>(ValueTask<T> task, RpcResultWriter<T> writer) => CompleteLaterAsync(task, writer);

    /// <summary>The method returned a stream: the call is over, the stream goes on by itself.</summary>
    public void StartStream<T>(IAsyncEnumerable<T> items) => _connection.StartProducer(CallId, _target, items);

    private async void CompleteLaterAsync(ValueTask task)
    {
        _asynchronous = true;
        try
        {
            await task.ConfigureAwait(false);
            Respond<VoidResult>(default);
        }
#pragma warning disable CA1031 // The method's exception is the call's outcome.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RespondFailure(ex);
        }

        FinishAsynchronous();
    }

    private async void CompleteLaterAsync<T>(ValueTask<T> task, RpcResultWriter<T> writer)
    {
        _asynchronous = true;
        T result;
        try
        {
            result = await task.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The method's exception is the call's outcome.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RespondFailure(ex);
            FinishAsynchronous();
            return;
        }

        _connection.SendResponse(this, result, writer);
        FinishAsynchronous();
    }

    private void FinishAsynchronous()
    {
        if (Interlocked.Exchange(ref _asyncHandoff, 2) == 0)
        {
            // Completed before Run returned: Run finishes the call and its queue carries on.
            return;
        }

        var queue = _target.Queue;
        Finish();
        queue?.Resume();
    }

    private void Finish()
    {
        if ((Flags & RpcRequestFlags.Cancelable) != 0)
        {
            _connection.RemoveIncoming(CallId);
        }

        ReleaseArguments();
        if (_cancellation is { } cancellation && !cancellation.TryReset())
        {
            cancellation.Dispose();
            _cancellation = null;
        }

        _connection = null!;
        _target = null!;
        s_pool.Enqueue(this);
    }
}
