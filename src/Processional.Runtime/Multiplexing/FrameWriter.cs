using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Processional.Transport;

namespace Processional.Multiplexing;

/// <summary>
/// Serializes the frames of all channels onto the transport with no thread of its own. A writer appends its frame
/// (header and payload together) to a shared buffer under a short lock; if no flush is running it becomes the flusher
/// and writes the buffer to the transport itself, on its own thread. Writers that arrive while a flush runs only
/// append: the running flusher sends their frames with its next write, so contended writers coalesce into few large
/// socket writes. Two buffers alternate, so appending never waits for the socket.
/// </summary>
internal sealed class FrameWriter
{
    private const int InitialBufferSize = 16 * 1024;

    // While the reading loop handles a batch of frames, what its thread appends is flushed once at the end of the
    // batch, unless this much is waiting: replies to many small requests then leave in one socket write.
    private const int BatchFlushThreshold = 64 * 1024;

    // A spare buffer larger than this goes back to the pool instead of being kept (a big message grew it).
    private const int MaxSpareSize = 1 << 20;

    // The writer whose flushes the current thread defers: the reading loop's, during a batch.
    [ThreadStatic]
    private static FrameWriter? t_batch;

    private bool _flushDeferred;

    private readonly object _lock = new();
    private readonly PipeWriter _output;
    private readonly BufferPool _pool;
    private readonly Action<Exception> _onFailure;
    private byte[] _buffer;
    private int _length;
    private byte[]? _spare;
    private bool _flushing;
    private bool _closed;
    private bool _outputCompleted;
    private TaskCompletionSource? _idle;

    // The message being written in place, while its writer holds the lock: where its first header and the header of
    // the frame being filled are, the largest payload of its frames, and its length so far.
    private int _messageStart = -1;
    private int _frameStart;
    private int _maxMessagePart;
    private long _messageWritten;

    // The segments of a direct write (headers, payload slices); only the flusher uses it.
    private readonly List<ArraySegment<byte>> _gather = [];
    private long _directBytesWritten;

    public FrameWriter(PipeWriter output, BufferPool pool, Action<Exception> onFailure)
    {
        _output = output;
        _pool = pool;
        _onFailure = onFailure;
        _buffer = pool.RentArray(InitialBufferSize);
    }

    /// <summary>Bytes appended and not yet handed to the transport.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _length;
            }
        }
    }

    /// <summary>Appends a frame; returns whether the caller became the flusher and must call <see cref="FlushAsync"/>.</summary>
    public bool Append(FrameType type, uint channel, ReadOnlySpan<byte> payload)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            var span = Reserve(Frame.HeaderLength + payload.Length);
            Frame.WriteHeader(span, type, payload.Length, channel);
            payload.CopyTo(span[Frame.HeaderLength..]);
            _length += Frame.HeaderLength + payload.Length;
            return ClaimFlush();
        }
    }

    /// <summary>Payload bytes written straight from callers' memory (tests check that bulk writes take that path).</summary>
    public long DirectBytesWritten => Interlocked.Read(ref _directBytesWritten);

    /// <summary>Whether frames can be written straight from the caller's memory: the transport takes gather writes.</summary>
    public bool CanWriteDirect => _output is SocketSender;

    /// <summary>
    /// Writes Data frames for <paramref name="payload"/> (cut at <paramref name="maxPayload"/>) straight from the
    /// caller's memory, after what was appended before, in one gather write: no copy into the frame buffer. Possible
    /// only when no flush is in progress (the caller becomes the flusher; <paramref name="written"/> completes when its
    /// frames, and what others append meanwhile, are written) and the memory is an array. Returns false, having done
    /// nothing, otherwise: the caller appends instead.
    /// </summary>
    public bool TryWriteDirect(uint channel, ReadOnlyMemory<byte> payload, int maxPayload, out ValueTask written)
    {
        written = default;
        if (_output is not SocketSender sender || t_batch == this || !MemoryMarshal.TryGetArray(payload, out var array))
        {
            return false;
        }

        byte[]? before;
        int beforeLength;
        lock (_lock)
        {
            if (_closed || _flushing)
            {
                return false;
            }

            _flushing = true;
            before = _length > 0 ? _buffer : null;
            beforeLength = _length;
            if (before is not null)
            {
                _buffer = _spare ?? _pool.RentArray(Math.Max(InitialBufferSize, Math.Min(before.Length, MaxSpareSize)));
                _spare = null;
                _length = 0;
            }
        }

        Interlocked.Add(ref _directBytesWritten, payload.Length);
        var frames = (payload.Length + maxPayload - 1) / maxPayload;
        var headers = _pool.RentArray(frames * Frame.HeaderLength);
        _gather.Clear();
        if (before is not null)
        {
            _gather.Add(new ArraySegment<byte>(before, 0, beforeLength));
        }

        for (var frame = 0; frame < frames; frame++)
        {
            var offset = frame * maxPayload;
            var length = Math.Min(maxPayload, payload.Length - offset);
            Frame.WriteHeader(headers.AsSpan(frame * Frame.HeaderLength), FrameType.Data, length, channel);
            _gather.Add(new ArraySegment<byte>(headers, frame * Frame.HeaderLength, Frame.HeaderLength));
            _gather.Add(array.Slice(offset, length));
        }

        ValueTask<FlushResult> write;
        try
        {
            write = sender.WriteAsync(_gather);
        }
#pragma warning disable CA1031 // Any transport failure ends the connection; it is reported there.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _pool.ReturnArray(headers);
            Fail(before, ex);
            return true;
        }

        if (write.IsCompletedSuccessfully)
        {
            written = DirectWritten(headers, before, write.Result) ? FlushAsync() : default;
            return true;
        }

        written = AwaitDirectAsync(write, headers, before);
        return true;
    }

    /// <summary>Appends a frame whose payload is one uint32 (a window update).</summary>
    public bool Append(FrameType type, uint channel, uint value)
    {
        Span<byte> payload = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, value);
        return Append(type, channel, payload);
    }

    /// <summary>Appends a frame only when less than <paramref name="limit"/> bytes wait: for answers a peer that does not read must not pile up (pongs).</summary>
    public bool AppendIfBelow(int limit, FrameType type, uint channel, ReadOnlySpan<byte> payload)
    {
        lock (_lock)
        {
            if (_length >= limit)
            {
                return false;
            }
        }

        return Append(type, channel, payload);
    }

    /// <summary>
    /// Appends one whole message as Message frames: one, or MessagePart frames of <paramref name="maxPayload"/> bytes
    /// and a last Message frame. Returns false when the writer is closed; <paramref name="flush"/> says whether the
    /// caller became the flusher and must call <see cref="FlushAsync"/>.
    /// </summary>
    public bool AppendMessage(ReadOnlySpan<byte> message, int maxPayload, out bool flush)
    {
        lock (_lock)
        {
            flush = false;
            if (_closed)
            {
                return false;
            }

            while (true)
            {
                var count = Math.Min(message.Length, maxPayload);
                var last = count == message.Length;
                var span = Reserve(Frame.HeaderLength + count);
                Frame.WriteHeader(span, last ? FrameType.Message : FrameType.MessagePart, count, 0);
                message[..count].CopyTo(span[Frame.HeaderLength..]);
                _length += Frame.HeaderLength + count;
                message = message[count..];
                if (last)
                {
                    break;
                }
            }

            flush = ClaimFlush();
            return true;
        }
    }

    /// <summary>
    /// Starts a message written in place (<see cref="GetMessageSpan"/>, <see cref="AdvanceMessage"/>): takes the
    /// writer's lock, which <see cref="EndMessage"/> or <see cref="AbortMessage"/> gives back, on this thread. Returns
    /// false (and holds nothing) when the writer is closed.
    /// </summary>
    public bool BeginMessage(int maxPayload)
    {
        Monitor.Enter(_lock);
        if (_closed || _messageStart >= 0)
        {
            var nested = _messageStart >= 0;
            Monitor.Exit(_lock);
            return nested ? throw new InvalidOperationException("A message is already being written on this connection by this thread; send or dispose it first.") : false;
        }

        _maxMessagePart = maxPayload;
        _messageStart = _length;
        _frameStart = _length;
        Reserve(Frame.HeaderLength);
        _length += Frame.HeaderLength;
        return true;
    }

    /// <summary>Bytes of the message being written so far.</summary>
    public long MessageLength => _messageWritten;

    /// <summary>
    /// Room for at least <paramref name="sizeHint"/> bytes of the message, right in the frame buffer. Frames are cut
    /// where they fill; a request larger than a frame gets contiguous room that <see cref="AdvanceMessage"/> splits.
    /// </summary>
    public Memory<byte> GetMessageMemory(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        var room = _maxMessagePart - (_length - _frameStart - Frame.HeaderLength);
        if (room < sizeHint && sizeHint <= _maxMessagePart)
        {
            // What is asked for does not fit in this frame but fits in a whole one: end this frame a little early.
            CloseMessagePart();
            room = _maxMessagePart;
        }

        Reserve(sizeHint);
        return _buffer.AsMemory(_length, Math.Max(sizeHint, Math.Min(room, _buffer.Length - _length)));
    }

    /// <inheritdoc cref="GetMessageMemory"/>
    public Span<byte> GetMessageSpan(int sizeHint) => GetMessageMemory(sizeHint).Span;

    /// <summary>Commits <paramref name="count"/> bytes written into what <see cref="GetMessageMemory"/> returned.</summary>
    public void AdvanceMessage(int count)
    {
        if ((uint)count > (uint)(_buffer.Length - _length))
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Advanced past the memory that GetMemory returned.");
        }

        _length += count;
        _messageWritten += count;
        if (_length - _frameStart - Frame.HeaderLength > _maxMessagePart)
        {
            SplitMessageFrame();
        }
    }

    /// <summary>Ends the message begun by <see cref="BeginMessage"/> and gives the lock back; returns whether the caller must flush.</summary>
    public bool EndMessage()
    {
        Frame.WriteHeader(_buffer.AsSpan(_frameStart), FrameType.Message, _length - _frameStart - Frame.HeaderLength, 0);
        _messageStart = -1;
        _messageWritten = 0;
        var flush = ClaimFlush();
        Monitor.Exit(_lock);
        return flush;
    }

    /// <summary>Drops the message begun by <see cref="BeginMessage"/>, as if it had never been written, and gives the lock back.</summary>
    public void AbortMessage()
    {
        _length = _messageStart;
        _messageStart = -1;
        _messageWritten = 0;
        Monitor.Exit(_lock);
    }

    /// <summary>
    /// The reading loop starts handling a batch of frames on this thread: flushes this thread asks for are deferred to
    /// <see cref="EndBatch"/> (the caller keeps the flusher's role until then; others only append).
    /// </summary>
    public void BeginBatch() => t_batch = this;

    /// <summary>Ends the batch begun by <see cref="BeginBatch"/>: sends what its flushes deferred.</summary>
    public void EndBatch()
    {
        t_batch = null;
        if (_flushDeferred)
        {
            _flushDeferred = false;
            FlushInBackground();
        }
    }

    /// <summary>
    /// Writes everything appended so far, and whatever others append meanwhile, to the transport. Only the caller that
    /// became the flusher calls it. Completes synchronously when the transport takes the bytes at once. On the reading
    /// loop's thread during a batch, it only notes that a flush is due, unless much is waiting.
    /// </summary>
    public ValueTask FlushAsync()
    {
        if (t_batch == this && Volatile.Read(ref _length) < BatchFlushThreshold)
        {
            _flushDeferred = true;
            return default;
        }

        while (true)
        {
            var buffer = TakeBuffer(out var length);
            if (buffer is null)
            {
                return default;
            }

            ValueTask<FlushResult> write;
            try
            {
                write = _output.WriteAsync(buffer.AsMemory(0, length));
            }
#pragma warning disable CA1031 // Any transport failure ends the connection; it is reported there.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Fail(buffer, ex);
                return default;
            }

            if (!write.IsCompletedSuccessfully)
            {
                return AwaitWriteAsync(write, buffer);
            }

            if (!Written(buffer, write.Result))
            {
                return default;
            }
        }
    }

    /// <summary>Starts <see cref="FlushAsync"/> without waiting: it runs here until the transport makes it wait.</summary>
    public void FlushInBackground()
    {
        var flush = FlushAsync();
        if (!flush.IsCompletedSuccessfully)
        {
            // Failures are reported through the failure callback; the task itself never faults.
            _ = flush.AsTask();
        }
    }

    /// <summary>
    /// Stops accepting frames, waits (up to <paramref name="timeout"/>) until what was appended is written, then
    /// completes the transport's writer. Returns whether everything was written in time.
    /// </summary>
    public async ValueTask<bool> CloseAsync(TimeSpan timeout)
    {
        Task? idle = null;
        lock (_lock)
        {
            _closed = true;
            if (_flushing)
            {
                _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                idle = _idle.Task;
            }
        }

        var drained = true;
        if (idle is not null)
        {
            try
            {
                await idle.WaitAsync(timeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The peer does not read: a pending write cannot finish. Wake it so that it gives up.
                drained = false;
                _output.CancelPendingFlush();
            }
        }

        lock (_lock)
        {
            if (_flushing)
            {
                // The flusher completes the writer when its write returns.
                return drained;
            }

            CompleteOutputLocked();
            ReleaseLocked();
        }

        return drained;
    }

    /// <summary>Stops accepting frames and gives back the buffers now, or when the running flush ends.</summary>
    public void ReleaseBuffers()
    {
        lock (_lock)
        {
            _closed = true;
            if (!_flushing)
            {
                ReleaseLocked();
            }
        }
    }

    private void ReleaseLocked()
    {
        if (_buffer.Length > 0)
        {
            _pool.ReturnArray(_buffer);
            _buffer = [];
        }

        _length = 0;
        if (_spare is not null)
        {
            _pool.ReturnArray(_spare);
            _spare = null;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int size)
    {
        if (_buffer.Length - _length < size)
        {
            Grow(size);
        }

        return _buffer.AsSpan(_length, size);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int size)
    {
        var bigger = _pool.RentArray(Math.Max(_length + size, Math.Max(InitialBufferSize, _buffer.Length * 2)));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        if (_buffer.Length > 0)
        {
            _pool.ReturnArray(_buffer);
        }

        _buffer = bigger;
    }

    /// <summary>Ends the frame being filled as a MessagePart and starts the next frame of the message.</summary>
    private void CloseMessagePart()
    {
        Frame.WriteHeader(_buffer.AsSpan(_frameStart), FrameType.MessagePart, _length - _frameStart - Frame.HeaderLength, 0);
        _frameStart = _length;
        Reserve(Frame.HeaderLength);
        _length += Frame.HeaderLength;
    }

    /// <summary>
    /// The frame being filled got more than a frame's payload in one piece: cut it into full MessagePart frames and
    /// a last, still open frame, moving the bytes to make room for the headers (last chunk first).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void SplitMessageFrame()
    {
        var max = _maxMessagePart;
        var payloadStart = _frameStart + Frame.HeaderLength;
        var payload = _length - payloadStart;
        var extra = (payload - 1) / max;
        Reserve(extra * Frame.HeaderLength);
        for (var chunk = extra; chunk >= 1; chunk--)
        {
            var from = payloadStart + (chunk * max);
            var length = Math.Min(max, payload - (chunk * max));
            _buffer.AsSpan(from, length).CopyTo(_buffer.AsSpan(from + (chunk * Frame.HeaderLength)));
        }

        for (var chunk = 0; chunk < extra; chunk++)
        {
            var header = chunk == 0 ? _frameStart : payloadStart + (chunk * (max + Frame.HeaderLength)) - Frame.HeaderLength;
            Frame.WriteHeader(_buffer.AsSpan(header), FrameType.MessagePart, max, 0);
        }

        _frameStart = payloadStart + (extra * (max + Frame.HeaderLength)) - Frame.HeaderLength;
        _length += extra * Frame.HeaderLength;
    }

    private bool ClaimFlush()
    {
        if (_flushing)
        {
            return false;
        }

        _flushing = true;
        return true;
    }

    private byte[]? TakeBuffer(out int length)
    {
        lock (_lock)
        {
            if (_length == 0 || _outputCompleted)
            {
                length = 0;
                _flushing = false;
                if (_closed)
                {
                    CompleteOutputLocked();
                    ReleaseLocked();
                }

                _idle?.TrySetResult();
                _idle = null;
                return null;
            }

            var full = _buffer;
            length = _length;
            _buffer = _spare ?? _pool.RentArray(Math.Max(InitialBufferSize, Math.Min(full.Length, MaxSpareSize)));
            _spare = null;
            _length = 0;
            return full;
        }
    }

    private async ValueTask AwaitWriteAsync(ValueTask<FlushResult> write, byte[] buffer)
    {
        // Loops here rather than calling FlushAsync again: a chain of awaits per slow write would grow without end.
        while (true)
        {
            FlushResult result;
            try
            {
                result = await write.ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Any transport failure ends the connection; it is reported there.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Fail(buffer, ex);
                return;
            }

            if (!Written(buffer, result))
            {
                return;
            }

            var next = TakeBuffer(out var length);
            if (next is null)
            {
                return;
            }

            buffer = next;
            try
            {
                write = _output.WriteAsync(buffer.AsMemory(0, length));
            }
#pragma warning disable CA1031 // Any transport failure ends the connection; it is reported there.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Fail(buffer, ex);
                return;
            }
        }
    }

    private async ValueTask AwaitDirectAsync(ValueTask<FlushResult> write, byte[] headers, byte[]? before)
    {
        FlushResult result;
        try
        {
            result = await write.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Any transport failure ends the connection; it is reported there.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _pool.ReturnArray(headers);
            Fail(before, ex);
            return;
        }

        if (DirectWritten(headers, before, result))
        {
            // Still the flusher: send what others appended while the direct write was on its way.
            await FlushAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Recycles what a direct write used; returns whether flushing goes on.</summary>
    private bool DirectWritten(byte[] headers, byte[]? before, FlushResult result)
    {
        _pool.ReturnArray(headers);
        if (before is not null)
        {
            return Written(before, result);
        }

        if (result.IsCompleted || result.IsCanceled)
        {
            Fail(null, new IOException(result.IsCompleted ? "The transport's reader stopped reading." : "A write to the transport was cancelled."));
            return false;
        }

        return true;
    }

    /// <summary>Recycles the written buffer; returns whether flushing goes on.</summary>
    private bool Written(byte[] buffer, FlushResult result)
    {
        lock (_lock)
        {
            if (_spare is null && !_closed && buffer.Length <= MaxSpareSize)
            {
                _spare = buffer;
            }
            else
            {
                _pool.ReturnArray(buffer);
            }
        }

        if (result.IsCompleted || result.IsCanceled)
        {
            Fail(null, new IOException(result.IsCompleted ? "The transport's reader stopped reading." : "A write to the transport was cancelled."));
            return false;
        }

        return true;
    }

    private void Fail(byte[]? buffer, Exception exception)
    {
        lock (_lock)
        {
            if (buffer is not null)
            {
                _pool.ReturnArray(buffer);
            }

            _closed = true;
            _flushing = false;
            CompleteOutputLocked(exception);
            ReleaseLocked();
            _idle?.TrySetResult();
            _idle = null;
        }

        _onFailure(exception);
    }

    private void CompleteOutputLocked(Exception? exception = null)
    {
        if (_outputCompleted)
        {
            return;
        }

        _outputCompleted = true;
        try
        {
            _output.Complete(exception);
        }
#pragma warning disable CA1031 // Completing a transport that already failed can throw; the connection is over either way.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
