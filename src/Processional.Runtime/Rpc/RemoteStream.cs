using System.Threading.Tasks.Sources;
using Processional.Serialization;

namespace Processional.Rpc;

/// <summary>
/// The caller's side of a call whose result is an <see cref="IAsyncEnumerable{T}"/>: items arrive as StreamItem
/// messages into a queue no longer than the window, which the caller tops up with StreamCredit messages as it consumes
/// them; breaking out of the loop (disposing the enumerator) sends StreamCancel, which stops the producer.
/// </summary>
internal sealed class RemoteStream<T> : PendingCall, IAsyncEnumerable<T>, IAsyncEnumerator<T>, IValueTaskSource<bool>
{
    private readonly RpcConnection _connection;
    private readonly int _window;
    private readonly Queue<T> _items = new();
    private readonly Lock _lock = new();
    private ManualResetValueTaskSourceCore<bool> _waiter = new() { RunContinuationsAsynchronously = true };
    private bool _waiting;
    private bool _ended;
    private Exception? _failure;
    private int _consumedSinceCredit;
    private int _enumerated;
    private CancellationTokenRegistration _enumeratorRegistration;

    public RemoteStream(RpcConnection connection, int window)
    {
        _connection = connection;
        _window = window;
    }

    public T Current { get; private set; } = default!;

    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
        {
            throw new InvalidOperationException("A stream returned by a remote call can be enumerated once: call the method again for a new one.");
        }

        if (cancellationToken.CanBeCanceled)
        {
            _enumeratorRegistration = cancellationToken.UnsafeRegister(static (s, token) => ((RemoteStream<T>)s!).Stop(token), this);
        }

        return this;
    }

    public ValueTask<bool> MoveNextAsync()
    {
        lock (_lock)
        {
            if (_items.Count > 0)
            {
                Current = _items.Dequeue();
                Consumed();
                return new ValueTask<bool>(true);
            }

            if (_ended)
            {
                return _failure is null ? new ValueTask<bool>(false) : ValueTask.FromException<bool>(_failure);
            }

            _waiting = true;
            _waiter.Reset();
            return new ValueTask<bool>(this, _waiter.Version);
        }
    }

    public ValueTask DisposeAsync()
    {
        _enumeratorRegistration.Dispose();
        bool stop;
        lock (_lock)
        {
            stop = !_ended;
            _ended = true;
            _items.Clear();
        }

        if (stop && _connection.TryRemovePending(this))
        {
            _connection.SendStreamCancel(CallId);
        }

        return ValueTask.CompletedTask;
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _waiter.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _waiter.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _waiter.OnCompleted(continuation, state, token, flags);

    /// <summary>Gives the producer its first credit, right behind the request.</summary>
    internal override void OnSent() => _connection.SendStreamCredit(CallId, _window);

    /// <summary>Reads one item on the reading thread.</summary>
    internal override void OnStreamItem(ref ProcessionalReader reader)
    {
        var item = reader.ReadValue<T>()!;
        lock (_lock)
        {
            if (_ended)
            {
                return;
            }

            if (_waiting)
            {
                _waiting = false;
                Current = item;
                Consumed();
                _waiter.SetResult(true);
            }
            else
            {
                _items.Enqueue(item);
            }
        }
    }

    internal override void OnStreamEnd(Exception? failure)
    {
        lock (_lock)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            _failure = failure;
            if (_waiting)
            {
                _waiting = false;
                if (failure is null)
                {
                    _waiter.SetResult(false);
                }
                else
                {
                    _waiter.SetException(failure);
                }
            }
        }
    }

    internal override void OnResponse(ref ProcessionalReader reader) =>
        reader.ThrowInvalid($"A plain response to call {CallId}, whose result is a stream");

    internal override void OnFailure(Exception exception) => OnStreamEnd(exception);

    internal override void OnCanceled(CancellationToken cancellationToken) =>
        OnStreamEnd(new OperationCanceledException("The stream was canceled.", cancellationToken));

    private void Stop(CancellationToken token)
    {
        if (_connection.TryRemovePending(this))
        {
            _connection.SendStreamCancel(CallId);
        }

        OnCanceled(token);
    }

    // Under the lock.
    private void Consumed()
    {
        if (++_consumedSinceCredit >= Math.Max(1, _window / 2))
        {
            _connection.SendStreamCredit(CallId, _consumedSinceCredit);
            _consumedSinceCredit = 0;
        }
    }
}
