using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Sources;
using Processional.Internal;
using Processional.Serialization;

namespace Processional.Rpc;

/// <summary>
/// A call this side sent and waits for. Completed exactly once — by the response, an error, the caller's
/// cancellation or the loss of the connection — by whoever removes it from the connection's table of pending calls.
/// </summary>
internal abstract class PendingCall
{
    private static readonly Action<object?> s_cancel = static state => ((PendingCall)state!).CancelFromToken();

    private CancellationTokenRegistration _registration;
    private object? _progress;

    internal ulong CallId { get; private set; }

    internal RpcConnection? Connection { get; private set; }

    internal CancellationToken CancellationToken { get; private set; }

    /// <summary>Reads the result off the response on the reading thread and completes the call.</summary>
    internal abstract void OnResponse(ref ProcessionalReader reader);

    internal abstract void OnFailure(Exception exception);

    internal abstract void OnCanceled(CancellationToken cancellationToken);

    /// <summary>Called once the request is sent.</summary>
    internal virtual void OnSent()
    {
    }

    internal virtual void OnStreamItem(ref ProcessionalReader reader) =>
        reader.ThrowInvalid($"A stream item for call {CallId}, whose result is not a stream");

    internal virtual void OnStreamEnd(Exception? failure) =>
        OnFailure(new ProcessionalSerializationException($"A stream end for call {CallId}, whose result is not a stream"));

    internal void Initialize(RpcConnection connection, ulong callId, CancellationToken cancellationToken, object? progress)
    {
        Connection = connection;
        CallId = callId;
        CancellationToken = cancellationToken;
        _progress = progress;
    }

    /// <summary>Arms the cancellation token once the call is in the table of pending calls.</summary>
    internal void RegisterCancellation()
    {
        if (CancellationToken.CanBeCanceled)
        {
            _registration = CancellationToken.UnsafeRegister(s_cancel, this);
        }
    }

    internal void OnProgress(byte index, ref ProcessionalReader reader)
    {
        var sink = _progress switch
        {
            ProgressSink single when index == 0 => single,
            ProgressSink[] many when index < many.Length => many[index],
            _ => null,
        };

        if (sink is null)
        {
            reader.ThrowInvalid($"Progress report {index} for call {CallId}, which has no such progress parameter");
        }

        sink.Report(ref reader);
    }

    /// <summary>Clears the call for reuse; the cancellation registration must be gone before it is reused.</summary>
    private protected void Clear()
    {
        _registration.Dispose();
        _registration = default;
        _progress = null;
        Connection = null;
        CancellationToken = default;
    }

    private void CancelFromToken()
    {
        var connection = Connection;
        if (connection is not null && connection.TryRemovePending(this))
        {
            connection.SendCancel(CallId);
            OnCanceled(CancellationToken);
        }
    }
}

/// <summary>A pending call with a result of type <typeparamref name="T"/>, awaited as a <see cref="ValueTask{TResult}"/> or waited for synchronously.</summary>
internal sealed class PendingCall<T> : PendingCall, IValueTaskSource<T>, IValueTaskSource
{
    private static readonly ConcurrentQueue<PendingCall<T>> s_pool = new();

    private ManualResetValueTaskSourceCore<T> _core = new() { RunContinuationsAsynchronously = true };
    private readonly CallSignal _signal = new();
    private RpcResultReader<T> _resultReader = RpcResultReader<T>.Default;
    private bool _synchronous;
    private T? _result;
    private ExceptionDispatchInfo? _failure;

    public static PendingCall<T> Rent(RpcResultReader<T> resultReader, bool synchronous)
    {
        if (!s_pool.TryDequeue(out var call))
        {
            call = new PendingCall<T>();
        }

        call._resultReader = resultReader;
        call._synchronous = synchronous;
        return call;
    }

    public ValueTask<T> AsValueTask() => new(this, _core.Version);

    public ValueTask AsValueTaskOfVoid() => new(this, _core.Version);

    /// <summary>Blocks until the call completes (synchronous mode), returns the result and recycles the call.</summary>
    public T Wait()
    {
        _signal.WaitAndReset();
        var result = _result;
        var failure = _failure;
        Recycle();
        failure?.Throw();
        return result!;
    }

    public T GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            Recycle();
        }
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    internal override void OnResponse(ref ProcessionalReader reader)
    {
        T? result;
        try
        {
            result = _resultReader.Read(ref reader, Connection!);
        }
#pragma warning disable CA1031 // A result that cannot be read fails this call only.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            OnFailure(new ProcessionalSerializationException($"The result of call {CallId} could not be read: {ex.Message}", ex));
            return;
        }

        if (_synchronous)
        {
            _result = result;
            _signal.Set();
        }
        else
        {
            _core.SetResult(result!);
        }
    }

    internal override void OnFailure(Exception exception)
    {
        if (_synchronous)
        {
            _failure = ExceptionDispatchInfo.Capture(exception);
            _signal.Set();
        }
        else
        {
            _core.SetException(exception);
        }
    }

    internal override void OnCanceled(CancellationToken cancellationToken) =>
        OnFailure(new OperationCanceledException("The call was canceled.", cancellationToken));

    private void Recycle()
    {
        Clear();
        _result = default;
        _failure = null;
        _core.Reset();
        s_pool.Enqueue(this);
    }
}
