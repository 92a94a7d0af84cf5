using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using Processional.Transport;

namespace Processional.Multiplexing;

/// <summary>
/// One channel of a <see cref="Multiplexer"/>: a duplex byte stream of its own, with its own flow-control window.
/// Write to <see cref="Output"/>, read from <see cref="Input"/>. Completing <see cref="Output"/> half-closes the channel
/// (the peer's reader sees the end after the last byte); <see cref="Reset"/> aborts it in both directions with a
/// message the peer's reads and writes then throw in a <see cref="ChannelResetException"/>.
/// </summary>
/// <remarks>
/// A reader that falls behind makes only this channel's sender wait, once a whole window is unread; other channels
/// keep flowing. A reader completed early discards what still arrives (and keeps the sender's credit flowing); a
/// channel disposed before the peer finished sending is reset, so that the peer stops.
/// </remarks>
public sealed class MultiplexedChannel : IDuplexPipe, IAsyncDisposable
{
    private readonly Multiplexer _multiplexer;
    private readonly object _lock = new();
    private readonly Pipe _inbound;
    private readonly ChannelInput _input;
    private readonly ChannelOutput _output;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _window;
    private readonly int _creditThreshold;

    // Sending: bytes the peer lets us send, and the writer waiting for more.
    private long _sendCredit;
    private TaskCompletionSource<bool>? _creditWaiter;
    private bool _flushCanceled;

    // Receiving: bytes received and not yet credited back; of those, consumed (or discarded) and not yet credited.
    private long _outstanding;
    private long _pendingCredit;
    private long _unconsumed;
    private bool _inputCompleted;
    private bool _inboundCompleted;

    // A Data payload being received straight into the inbound pipe's memory. The pipe's writer must not be completed
    // meanwhile (its memory would go back to the pool under the receive): a completion waits for the receive's end.
    private bool _directReceiving;
    private bool _inboundCompletionDeferred;
    private Exception? _deferredInboundError;

    // Life: we sent End or Reset; the peer did; the exception that ended the channel abnormally.
    private bool _localEnded;
    private bool _remoteEnded;
    private bool _removed;
    private Exception? _terminal;

    internal MultiplexedChannel(Multiplexer multiplexer, uint id, long initialCredit)
    {
        _multiplexer = multiplexer;
        Id = id;
        _sendCredit = initialCredit;
        _window = multiplexer.Options.ChannelWindow;

        // Credit goes back in quarters of the window: often enough that the sender never idles, rarely enough that
        // window updates cost nothing next to the data.
        _creditThreshold = Math.Max(1, _window / 4);
        _inbound = new Pipe(new PipeOptions(
            pool: multiplexer.Pool,
            readerScheduler: multiplexer.Options.ReaderScheduler,
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 0,
            resumeWriterThreshold: 0,
            minimumSegmentSize: 16 * 1024,
            useSynchronizationContext: false));
        _input = new ChannelInput(this, _inbound.Reader);
        _output = new ChannelOutput(this, multiplexer);
    }

    /// <summary>
    /// The channel id: 0 for the RPC channel, odd for channels the client opened, even for the server's.
    /// </summary>
    public uint Id { get; }

    /// <summary>The bytes the peer writes on this channel.</summary>
    public PipeReader Input => _input;

    /// <summary>Where to write bytes for the peer. <see cref="PipeWriter.Complete(Exception?)"/> without an exception half-closes; with one, resets.</summary>
    public PipeWriter Output => _output;

    /// <summary>
    /// Completes when the channel is closed in both directions: successfully when both ends completed their writers,
    /// faulted with a <see cref="ChannelResetException"/> on a reset, a <see cref="ConnectionLostException"/> when the
    /// connection ended first, an <see cref="ObjectDisposedException"/> when the multiplexer was disposed first.
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// Aborts the channel in both directions: the peer's reads and writes throw a <see cref="ChannelResetException"/>
    /// carrying <paramref name="reason"/>, and so do this side's. Does nothing on a channel already closed.
    /// </summary>
    /// <param name="reason">Why; sent to the peer (cut to 1 KiB of UTF-8).</param>
    public void Reset(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ChannelResetException exception;
        bool flush;
        bool detach;
        lock (_lock)
        {
            if (_localEnded && _remoteEnded)
            {
                return;
            }

            exception = new ChannelResetException(Id, reason, byPeer: false);
            detach = !_inboundCompleted;
            EndLocked(exception);
            flush = _multiplexer.Writer.Append(FrameType.Reset, Id, EncodeMessage(reason));
        }

        if (flush)
        {
            _multiplexer.Writer.FlushInBackground();
        }

        if (detach)
        {
            _input.Detach(exception);
        }

        Finish();
    }

    /// <summary>
    /// Closes this side of the channel: sends what is written and not yet flushed, then the end of stream (waiting for
    /// credit at most the multiplexer's dispose timeout), stops reading, and, if the peer has not finished sending,
    /// resets the channel so that it stops.
    /// </summary>
    /// <returns>A task that completes when that is done.</returns>
    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(_multiplexer.Options.DisposeTimeout))
        {
            await _output.CompleteAsync(timeout.Token).ConfigureAwait(false);
        }

        _input.Complete();
        bool reset;
        lock (_lock)
        {
            reset = !_remoteEnded;
        }

        if (reset)
        {
            Reset("The peer disposed the channel before reading to its end.");
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"channel {Id}";

    internal static byte[] EncodeMessage(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        if (bytes.Length <= Frame.MaxMessageBytes)
        {
            return bytes;
        }

        // Cut on a character boundary so that the peer decodes valid UTF-8.
        var length = Frame.MaxMessageBytes;
        while (length > 0 && (bytes[length] & 0xC0) == 0x80)
        {
            length--;
        }

        return bytes[..length];
    }

    // ---- Called by the multiplexer's reading loop ----

    /// <summary>Data from the peer; returns a protocol error, or null.</summary>
    internal string? OnData(in ReadOnlySequence<byte> payload)
    {
        var length = payload.Length;
        long credit = 0;
        var wake = false;
        lock (_lock)
        {
            if (_remoteEnded)
            {
                // After a reset the peer may still have had data in flight: ignore it. After its End it may not.
                return _terminal is not null || _removed ? null : $"Data frame on channel {Id} after its End";
            }

            _outstanding += length;
            if (_outstanding > _window)
            {
                return $"the peer sent {_outstanding} bytes on channel {Id}, more than its window of {_window}";
            }

            if (_inputCompleted || _inboundCompleted)
            {
                // Nobody reads any more: drop the bytes, but keep the sender's credit flowing.
                _pendingCredit += length;
                credit = TakeCreditToReturnLocked();
            }
            else if (length > 0)
            {
                var writer = _inbound.Writer;
                foreach (var segment in payload)
                {
                    writer.Write(segment.Span);
                }

                _unconsumed += length;
                wake = true;
            }
        }

        if (wake)
        {
            // Outside the lock: with an inline reader scheduler, this runs the reader's continuation right here, and
            // the reader's code must not run under the channel's lock. The pipe never pauses (the window bounds it),
            // so this completes at once; after a concurrent abort it does nothing.
            _ = _inbound.Writer.FlushAsync();
        }

        if (credit > 0)
        {
            _multiplexer.SendWindowUpdate(Id, credit);
        }

        return null;
    }

    /// <summary>Whether a Data frame of <paramref name="length"/> bytes may be received straight into the inbound pipe.</summary>
    internal bool CanReceiveDirect(long length)
    {
        lock (_lock)
        {
            return !_remoteEnded && !_inputCompleted && !_inboundCompleted && _outstanding + length <= _window;
        }
    }

    /// <summary>Memory of the inbound pipe for the next <paramref name="size"/> payload bytes; empty when they are to be discarded.</summary>
    internal Memory<byte> GetDirectMemory(int size)
    {
        lock (_lock)
        {
            if (_inputCompleted || _inboundCompleted)
            {
                return default;
            }

            _directReceiving = true;
            return _inbound.Writer.GetMemory(size)[..size];
        }
    }

    /// <summary><paramref name="count"/> payload bytes were received into the memory <see cref="GetDirectMemory"/> gave.</summary>
    internal void CommitDirect(int count)
    {
        long credit = 0;
        var wake = false;
        lock (_lock)
        {
            _directReceiving = false;
            _outstanding += count;
            if (_inputCompleted || _inboundCompleted)
            {
                // The channel stopped reading during the receive: drop the bytes, keep the sender's credit flowing.
                _pendingCredit += count;
                credit = TakeCreditToReturnLocked();
                CompleteDeferredInboundLocked();
            }
            else
            {
                _inbound.Writer.Advance(count);
                _unconsumed += count;
                wake = true;
            }
        }

        if (wake)
        {
            _ = _inbound.Writer.FlushAsync();
        }

        if (credit > 0)
        {
            _multiplexer.SendWindowUpdate(Id, credit);
        }
    }

    /// <summary><paramref name="count"/> payload bytes arrived for a channel that no longer reads: discarded.</summary>
    internal void DiscardDirect(int count)
    {
        long credit;
        lock (_lock)
        {
            _outstanding += count;
            _pendingCredit += count;
            credit = TakeCreditToReturnLocked();
        }

        if (credit > 0)
        {
            _multiplexer.SendWindowUpdate(Id, credit);
        }
    }

    /// <summary>The receive into the inbound pipe ended without bytes (the connection ended): complete what waited for it.</summary>
    internal void EndDirect()
    {
        lock (_lock)
        {
            _directReceiving = false;
            CompleteDeferredInboundLocked();
        }
    }

    internal string? OnWindowUpdate(uint increment)
    {
        if (increment == 0)
        {
            return $"WindowUpdate of 0 on channel {Id}";
        }

        lock (_lock)
        {
            _sendCredit += increment;
            if (_sendCredit > Frame.MaxWindow * 2L)
            {
                return $"WindowUpdate on channel {Id} raises its credit to {_sendCredit}, beyond any window";
            }

            WakeWriterLocked(true);
        }

        return null;
    }

    internal void AddInitialCredit(long credit)
    {
        lock (_lock)
        {
            _sendCredit += credit;
            WakeWriterLocked(true);
        }
    }

    internal string? OnEnd()
    {
        lock (_lock)
        {
            if (_remoteEnded)
            {
                return _terminal is not null || _removed ? null : $"second End on channel {Id}";
            }

            _remoteEnded = true;
            CompleteInboundLocked(null);
        }

        Finish();
        return null;
    }

    internal void OnReset(string reason)
    {
        ChannelResetException exception;
        bool detach;
        lock (_lock)
        {
            if (_localEnded && _remoteEnded)
            {
                return;
            }

            exception = new ChannelResetException(Id, reason, byPeer: true);
            detach = !_inboundCompleted;
            EndLocked(exception);
        }

        // What was received before an End stays readable; otherwise it is unreadable after a reset: give its buffers
        // back without waiting for the reader.
        if (detach)
        {
            _input.Detach(exception);
        }

        Finish();
    }

    /// <summary>The connection ended: everything waiting on the channel fails with <paramref name="exception"/>.</summary>
    internal void Abort(Exception exception)
    {
        bool detach;
        lock (_lock)
        {
            if (_localEnded && _remoteEnded)
            {
                return;
            }

            _removed = true;
            detach = !_inboundCompleted;
            EndLocked(exception);
        }

        if (detach)
        {
            _input.Detach(exception);
        }

        Finish();
    }

    /// <summary>A channel the application never accepted: nobody will complete its reader, so do it here.</summary>
    internal void Abandon(Exception exception)
    {
        Abort(exception);
        _input.Complete();
    }

    // ---- Called by the channel's reader and writer ----

    internal void OnConsumed(long count)
    {
        long credit;
        lock (_lock)
        {
            _unconsumed -= count;
            _pendingCredit += count;
            credit = _pendingCredit >= _creditThreshold ? TakeCreditToReturnLocked() : 0;
        }

        if (credit > 0)
        {
            _multiplexer.SendWindowUpdate(Id, credit);
        }
    }

    internal void OnInputCompleted()
    {
        long credit;
        lock (_lock)
        {
            _inputCompleted = true;
            _pendingCredit += _unconsumed;
            _unconsumed = 0;
            credit = TakeCreditToReturnLocked();
        }

        if (credit > 0)
        {
            _multiplexer.SendWindowUpdate(Id, credit);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int TakeCredit(int wanted)
    {
        lock (_lock)
        {
            if (_terminal is not null || _localEnded)
            {
                ThrowCannotWrite();
            }

            var count = (int)Math.Min(wanted, _sendCredit);
            _sendCredit -= count;
            return count;
        }
    }

    /// <summary>Waits until there is credit; false when <see cref="CancelCreditWait"/> interrupted the wait.</summary>
    internal async ValueTask<bool> WaitForCreditAsync(CancellationToken cancellationToken)
    {
        Task<bool> wait;
        lock (_lock)
        {
            if (_terminal is not null)
            {
                ThrowCannotWrite();
            }

            if (_flushCanceled)
            {
                _flushCanceled = false;
                return false;
            }

            if (_sendCredit > 0)
            {
                return true;
            }

            _creditWaiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = _creditWaiter.Task;
        }

        var credited = await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfCannotWrite();
        return credited;
    }

    internal void CancelCreditWait()
    {
        lock (_lock)
        {
            if (_creditWaiter is not null)
            {
                WakeWriterLocked(false);
            }
            else
            {
                _flushCanceled = true;
            }
        }
    }

    internal void ThrowIfCannotWrite()
    {
        if (Volatile.Read(ref _terminal) is not null)
        {
            ThrowCannotWrite();
        }
    }

    internal void SendEnd()
    {
        bool flush;
        lock (_lock)
        {
            if (_localEnded)
            {
                return;
            }

            _localEnded = true;
            flush = _multiplexer.Writer.Append(FrameType.End, Id, []);
        }

        if (flush)
        {
            _multiplexer.Writer.FlushInBackground();
        }

        Finish();
    }

    private void EndLocked(Exception exception)
    {
        _terminal ??= exception;
        _localEnded = true;
        _remoteEnded = true;
        CompleteInboundLocked(exception);
        WakeWriterLocked(true);
    }

    private void CompleteInboundLocked(Exception? exception)
    {
        if (_inboundCompleted)
        {
            return;
        }

        _inboundCompleted = true;
        if (_directReceiving)
        {
            _inboundCompletionDeferred = true;
            _deferredInboundError = exception;
            return;
        }

        _inbound.Writer.Complete(exception);
    }

    private void CompleteDeferredInboundLocked()
    {
        if (_inboundCompletionDeferred)
        {
            _inboundCompletionDeferred = false;
            _inbound.Writer.Complete(_deferredInboundError);
            _deferredInboundError = null;
        }
    }

    private void WakeWriterLocked(bool credited)
    {
        var waiter = _creditWaiter;
        _creditWaiter = null;
        waiter?.TrySetResult(credited);
    }

    private long TakeCreditToReturnLocked()
    {
        if (_remoteEnded || _pendingCredit == 0)
        {
            // The peer sends nothing more: it needs no credit.
            return 0;
        }

        var credit = _pendingCredit;
        _outstanding -= credit;
        _pendingCredit = 0;
        return credit;
    }

    /// <summary>Once both directions are closed, leaves the multiplexer's table and completes <see cref="Completion"/>.</summary>
    private void Finish()
    {
        Exception? terminal;
        bool remove;
        lock (_lock)
        {
            if (!_localEnded || !_remoteEnded)
            {
                return;
            }

            terminal = _terminal;
            remove = !_removed;
            _removed = true;
        }

        // Outside the channel's lock: the multiplexer takes its table's lock before channel locks, never after.
        if (remove)
        {
            _multiplexer.RemoveChannel(this);
        }

        if (terminal is null)
        {
            _completion.TrySetResult();
        }
        else if (_completion.TrySetException(terminal))
        {
            // A fault nobody awaits is part of normal life here (a peer's reset): never report it as unobserved.
            _ = _completion.Task.Exception;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowCannotWrite()
    {
        var terminal = Volatile.Read(ref _terminal);
        if (terminal is not null)
        {
            throw terminal switch
            {
                ChannelResetException reset => new ChannelResetException(reset.ChannelId, reset.Reason, reset.ByPeer),
                ConnectionLostException lost => new ConnectionLostException(lost.Message, lost.InnerException),
                ObjectDisposedException => new ObjectDisposedException(_multiplexer.ToString()),
                _ => new IOException(terminal.Message, terminal),
            };
        }

        throw new InvalidOperationException($"The writer of channel {Id} was completed.");
    }
}
