namespace Processional.Rpc;

/// <summary>
/// Replies that an ordered queue holds back while more calls wait behind the one that produced them, so that a burst
/// of pipelined calls is answered with a few socket writes instead of one per call. A queue with nothing left sends
/// every reply at once (a lone call is never delayed); and since the next call may run long, a backstop timer sends
/// what is held after about a millisecond whatever happens.
/// </summary>
internal sealed class ResponseBatch
{
    private const int MaxHeld = 64;
    private static readonly TimeSpan s_backstop = TimeSpan.FromMilliseconds(1);

    [ThreadStatic]
    private static ResponseBatch? t_current;

    private readonly Lock _lock = new();
    private readonly Lock _flushLock = new();
    private List<(RpcConnection Connection, RpcMessageBuffer Message)> _held = [];
    private List<(RpcConnection Connection, RpcMessageBuffer Message)> _sending = [];
    private readonly List<RpcMessageBuffer> _run = [];
    private Timer? _backstop;

    /// <summary>The batch that replies produced on this thread go to, if any.</summary>
    public static ResponseBatch? Current => t_current;

    public bool IsFull
    {
        get
        {
            lock (_lock)
            {
                return _held.Count >= MaxHeld;
            }
        }
    }

    public void Enter() => t_current = this;

    public static void Exit() => t_current = null;

    public void Hold(RpcConnection connection, RpcMessageBuffer message)
    {
        lock (_lock)
        {
            _held.Add((connection, message));
        }
    }

    /// <summary>The next call may take long: make sure what is held leaves within the backstop delay.</summary>
    public void ArmBackstop()
    {
        lock (_lock)
        {
            if (_held.Count > 0)
            {
                (_backstop ??= new Timer(static state => ((ResponseBatch)state!).Flush(), this, Timeout.Infinite, Timeout.Infinite)).Change(s_backstop, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Sends everything held, each connection's replies in one write.</summary>
    public void Flush()
    {
        lock (_flushLock)
        {
            lock (_lock)
            {
                if (_held.Count == 0)
                {
                    return;
                }

                (_held, _sending) = (_sending, _held);
                _backstop?.Change(Timeout.Infinite, Timeout.Infinite);
            }

            var start = 0;
            while (start < _sending.Count)
            {
                var connection = _sending[start].Connection;
                var end = start;
                while (end < _sending.Count && ReferenceEquals(_sending[end].Connection, connection))
                {
                    _run.Add(_sending[end++].Message);
                }

                connection.SendRepliesQuietly(_run);
                _run.Clear();
                start = end;
            }

            _sending.Clear();
        }
    }
}
