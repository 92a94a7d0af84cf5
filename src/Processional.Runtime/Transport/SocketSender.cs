using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace Processional.Transport;

/// <summary>
/// The writing half of a <see cref="SocketTransport"/>. A write goes to the socket at once, on the caller's thread, as
/// non-blocking sends; what the kernel's send buffer cannot take is handed to a sending thread (started the first time
/// it is needed, then kept for the connection's life), which waits until the socket is writable and sends the rest;
/// the write's task completes when everything is sent. So no writer ever blocks on a full socket. That matters most
/// for the connection's receiving thread, which writes replies inline: two peers both blocked in a send while neither
/// reads is the deadlock of the Python original.
/// </summary>
/// <remarks>
/// One write at a time, as with any <see cref="PipeWriter"/>: the caller awaits a write before it starts the next (the
/// frame writer and the handshake do). The socket must be non-blocking (<see cref="Socket.Blocking"/> false) and must
/// never see an asynchronous socket operation, which would register it with .NET's socket engine: every byte received
/// would then also wake the engine's thread.
/// </remarks>
internal sealed class SocketSender : PipeWriter, IValueTaskSource<FlushResult>
{
    private const int MinimumBufferSize = 4096;

    // How long the sending thread sleeps in one poll before it looks for a close it was not woken for.
    private const int PollMicroseconds = 200_000;

    private readonly Socket _socket;
    private readonly object _lock = new();
    private ManualResetValueTaskSourceCore<FlushResult> _completion = new() { RunContinuationsAsynchronously = true };

    // Bytes written through GetMemory/Advance and not yet flushed.
    private byte[]? _buffer;
    private int _buffered;

    // The rest of the write that the sending thread is busy with, and the pooled buffer it came from, if any.
    private readonly List<ArraySegment<byte>> _pending = [];
    private byte[]? _pendingBuffer;
    private bool _hasPending;
    private int _generation;
    private Thread? _thread;
    private bool _closed;

    public SocketSender(Socket socket) => _socket = socket;

    /// <summary>Whether the sending thread was ever needed (tests and diagnostics).</summary>
    internal bool HasSendingThread => Volatile.Read(ref _thread) is not null;

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _buffered;

    public override void Advance(int bytes)
    {
        if (_buffer is null || (uint)bytes > (uint)(_buffer.Length - _buffered))
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "Advanced past the memory that GetMemory returned.");
        }

        _buffered += bytes;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(_buffered);

    public override Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(_buffered);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
        _buffered == 0 ? default : Send(_buffer.AsMemory(0, _buffered), fromBuffer: true);

    /// <summary>
    /// Writes <paramref name="segments"/> in order, in one gather send when the socket takes them all, so that frame
    /// headers and payloads that live in different buffers still leave in one write. The caller keeps the memory alive
    /// until the returned task completes, and may reuse the list itself at once.
    /// </summary>
    public ValueTask<FlushResult> WriteAsync(List<ArraySegment<byte>> segments)
    {
        SendNow(segments);
        return segments.Count == 0 ? default : HandOff(segments, null);
    }

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        if (_buffered == 0)
        {
            return Send(source, fromBuffer: false);
        }

        source.Span.CopyTo(GetSpan(source.Length));
        Advance(source.Length);
        return FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Gives up the write the sending thread is busy with: it completes now as cancelled. Part of it may have been
    /// sent, so the stream is of no use afterwards; only a connection that closes does this (a peer that stopped
    /// reading must not hold the close up).
    /// </summary>
    public override void CancelPendingFlush()
    {
        bool complete;
        lock (_lock)
        {
            complete = _hasPending;
            _hasPending = false;
        }

        if (complete)
        {
            _completion.SetResult(new FlushResult(isCanceled: true, isCompleted: false));
        }
    }

    public override void Complete(Exception? exception = null)
    {
        lock (_lock)
        {
            if (_buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = null;
                _buffered = 0;
            }
        }
    }

    /// <summary>The socket is closing: the sending thread stops, and a write it was busy with fails.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            Monitor.PulseAll(_lock);
        }
    }

    FlushResult IValueTaskSource<FlushResult>.GetResult(short token) => _completion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<FlushResult>.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource<FlushResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);

    private byte[] Reserve(int sizeHint)
    {
        var needed = _buffered + Math.Max(sizeHint, 1);
        if (_buffer is not null && _buffer.Length >= needed)
        {
            return _buffer;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(MinimumBufferSize, (_buffer?.Length ?? 0) * 2)));
        if (_buffer is not null)
        {
            _buffer.AsSpan(0, _buffered).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = bigger;
        return bigger;
    }

    private ValueTask<FlushResult> Send(ReadOnlyMemory<byte> data, bool fromBuffer)
    {
        var sent = SendNow(data.Span);
        if (fromBuffer)
        {
            _buffered = 0;
        }

        if (sent == data.Length)
        {
            return default;
        }

        byte[]? owned = null;
        if (fromBuffer)
        {
            // The sending thread owns the buffer now; later writes get a new one.
            owned = _buffer;
            _buffer = null;
        }

        var rest = data[sent..];
        if (!MemoryMarshal.TryGetArray(rest, out var segment))
        {
            // Not an array (native memory): the sending thread needs a copy it can keep.
            owned = ArrayPool<byte>.Shared.Rent(rest.Length);
            rest.Span.CopyTo(owned);
            segment = new ArraySegment<byte>(owned, 0, rest.Length);
        }

        return HandOff([segment], owned);
    }

    /// <summary>Gives what the socket could not take to the sending thread; the returned task completes when it is sent.</summary>
    private ValueTask<FlushResult> HandOff(List<ArraySegment<byte>> rest, byte[]? owned)
    {
        lock (_lock)
        {
            if (_closed)
            {
                if (owned is not null)
                {
                    ArrayPool<byte>.Shared.Return(owned);
                }

                throw new ObjectDisposedException(nameof(SocketTransport), "The connection was closed.");
            }

            _completion.Reset();
            _pending.Clear();
            _pending.AddRange(rest);
            _pendingBuffer = owned;
            _hasPending = true;
            _generation++;
            if (_thread is null)
            {
                _thread = new Thread(static state => ((SocketSender)state!).Run()) { IsBackground = true, Name = "Processional sender" };
                _thread.UnsafeStart(this);
            }
            else
            {
                Monitor.PulseAll(_lock);
            }
        }

        return new ValueTask<FlushResult>(this, _completion.Version);
    }

    /// <summary>Sends as much as the socket takes without blocking; returns how much that was.</summary>
    private int SendNow(ReadOnlySpan<byte> data)
    {
        var total = 0;
        while (total < data.Length)
        {
            var sent = _socket.Send(data[total..], SocketFlags.None, out var error);
            if (error == SocketError.Success)
            {
                total += sent;
            }
            else if (error == SocketError.WouldBlock)
            {
                break;
            }
            else
            {
                var exception = new SocketException((int)error);
                throw new IOException($"Sending to the peer failed: {exception.Message}", exception);
            }
        }

        return total;
    }

    /// <summary>Sends as much of <paramref name="segments"/> as the socket takes without blocking, removing what was sent.</summary>
    private void SendNow(List<ArraySegment<byte>> segments)
    {
        while (segments.Count > 0)
        {
            var sent = segments.Count == 1
                ? _socket.Send(segments[0].AsSpan(), SocketFlags.None, out var error)
                : _socket.Send(segments, SocketFlags.None, out error);
            if (error == SocketError.WouldBlock)
            {
                return;
            }

            if (error != SocketError.Success)
            {
                var exception = new SocketException((int)error);
                throw new IOException($"Sending to the peer failed: {exception.Message}", exception);
            }

            var done = 0;
            while (done < segments.Count && sent >= segments[done].Count)
            {
                sent -= segments[done].Count;
                done++;
            }

            segments.RemoveRange(0, done);
            if (segments.Count > 0 && sent > 0)
            {
                segments[0] = segments[0][sent..];
            }
        }
    }

    /// <summary>The sending thread: sends what the callers could not, as the socket drains, until the socket closes.</summary>
    private void Run()
    {
        var data = new List<ArraySegment<byte>>();
        while (true)
        {
            data.Clear();
            byte[]? buffer;
            int generation;
            lock (_lock)
            {
                while (!_hasPending && !_closed)
                {
                    Monitor.Wait(_lock);
                }

                if (!_hasPending)
                {
                    return;
                }

                data.AddRange(_pending);
                buffer = _pendingBuffer;
                generation = _generation;
                _pending.Clear();
                _pendingBuffer = null;
            }

            Exception? error = null;
            try
            {
                while (true)
                {
                    SendNow(data);
                    if (data.Count == 0 || !StillWanted(generation))
                    {
                        break;
                    }

                    // Sleep in the kernel until the peer has read enough to make room.
                    _socket.Poll(PollMicroseconds, SelectMode.SelectWrite);
                }
            }
#pragma warning disable CA1031 // Whatever the socket throws fails this write; the connection reports it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                error = ex is IOException ? ex : new IOException($"Sending to the peer failed: {ex.Message}", ex);
            }

            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            bool complete;
            lock (_lock)
            {
                complete = _hasPending && _generation == generation;
                if (complete)
                {
                    _hasPending = false;
                }

                if (error is null && data.Count > 0 && _closed)
                {
                    error = new IOException("The connection was closed before everything was sent.");
                }
            }

            if (!complete)
            {
                // Cancelled: CancelPendingFlush has already completed the write.
                continue;
            }

            if (error is not null)
            {
                _completion.SetException(error);
            }
            else
            {
                _completion.SetResult(default);
            }
        }
    }

    private bool StillWanted(int generation)
    {
        lock (_lock)
        {
            return _hasPending && _generation == generation && !_closed;
        }
    }
}
