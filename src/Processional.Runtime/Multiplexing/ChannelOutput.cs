using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Processional.Multiplexing;

/// <summary>
/// A channel's writer. Bytes written through <see cref="GetMemory"/>/<see cref="Advance"/> gather in a pooled buffer;
/// <see cref="FlushAsync"/> cuts them into Data frames as the channel's credit allows and appends them to the shared
/// <see cref="FrameWriter"/>, which sends them on this thread unless another writer is already sending.
/// <see cref="WriteAsync"/> skips the gathering buffer. When credit runs out the flush waits for the peer's window
/// update, without holding up other channels.
/// </summary>
internal sealed class ChannelOutput : PipeWriter
{
    private const int MinimumBufferSize = 4096;

    // Writes at least this large go to the socket straight from the caller's memory (headers and payload slices in one
    // gather write) instead of being copied into the frame buffer: bulk transfers copy nothing on this side.
    private const int DirectWriteThreshold = 32 * 1024;

    private readonly MultiplexedChannel _channel;
    private readonly Multiplexer _multiplexer;
    private byte[]? _buffer;
    private int _buffered;
    private bool _completed;

    public ChannelOutput(MultiplexedChannel channel, Multiplexer multiplexer)
    {
        _channel = channel;
        _multiplexer = multiplexer;
    }

    public bool IsCompleted => Volatile.Read(ref _completed);

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

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsMemory(_buffered);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsSpan(_buffered);
    }

    public override void CancelPendingFlush() => _channel.CancelCreditWait();

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        return _buffered == 0
            ? SendAsync(ReadOnlyMemory<byte>.Empty, fromBuffer: false, cancellationToken)
            : SendAsync(_buffer.AsMemory(0, _buffered), fromBuffer: true, cancellationToken);
    }

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        if (_buffered == 0)
        {
            return SendAsync(source, fromBuffer: false, cancellationToken);
        }

        EnsureCapacity(source.Length);
        source.Span.CopyTo(_buffer.AsSpan(_buffered));
        _buffered += source.Length;
        return SendAsync(_buffer.AsMemory(0, _buffered), fromBuffer: true, cancellationToken);
    }

    public override void Complete(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        if (exception is not null)
        {
            _channel.Reset(exception.Message);
            ReturnBuffer();
            return;
        }

        if (_buffered == 0)
        {
            _channel.SendEnd();
            ReturnBuffer();
            return;
        }

        // Bytes written but not flushed still go out before the End, as with Pipe; they may have to wait for credit.
        _ = FinishAsync(CancellationToken.None).AsTask();
    }

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        if (_completed)
        {
            return default;
        }

        if (exception is not null || _buffered == 0)
        {
            Complete(exception);
            return default;
        }

        _completed = true;
        return FinishAsync(CancellationToken.None);
    }

    /// <summary>Completes the writer, sending what is buffered first, waiting for credit at most until <paramref name="cancellationToken"/>.</summary>
    internal ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_completed)
        {
            return default;
        }

        _completed = true;
        return FinishAsync(cancellationToken);
    }

    private async ValueTask FinishAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_buffered > 0)
            {
                await SendAsync(_buffer.AsMemory(0, _buffered), fromBuffer: true, cancellationToken).ConfigureAwait(false);
            }

            _channel.SendEnd();
        }
        catch (OperationCanceledException)
        {
            _channel.Reset("The writer was completed before its last bytes could be sent.");
        }
        catch (IOException)
        {
            // Reset or connection lost: the channel already holds the reason.
        }
        finally
        {
            ReturnBuffer();
        }
    }

    private ValueTask<FlushResult> SendAsync(ReadOnlyMemory<byte> data, bool fromBuffer, CancellationToken cancellationToken)
    {
        var writer = _multiplexer.Writer;
        if (data.Length >= DirectWriteThreshold && writer.CanWriteDirect)
        {
            return SendLargeAsync(data, fromBuffer, cancellationToken);
        }

        var mustFlush = false;
        var maxPayload = _multiplexer.MaxSendPayload;
        while (!data.IsEmpty)
        {
            var count = _channel.TakeCredit(Math.Min(data.Length, maxPayload));
            if (count == 0)
            {
                return SendSlowAsync(data, fromBuffer, mustFlush, cancellationToken);
            }

            mustFlush |= writer.Append(FrameType.Data, _channel.Id, data.Span[..count]);
            data = data[count..];
        }

        if (fromBuffer)
        {
            _buffered = 0;
        }

        if (mustFlush)
        {
            var flush = writer.FlushAsync();
            if (!flush.IsCompletedSuccessfully)
            {
                return AwaitFlushAsync(flush);
            }
        }

        _channel.ThrowIfCannotWrite();
        return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false));
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<FlushResult> AwaitFlushAsync(ValueTask flush)
    {
        await flush.ConfigureAwait(false);
        _channel.ThrowIfCannotWrite();
        return new FlushResult(isCanceled: false, isCompleted: false);
    }

    private async ValueTask<FlushResult> SendSlowAsync(ReadOnlyMemory<byte> data, bool fromBuffer, bool mustFlush, CancellationToken cancellationToken)
    {
        var writer = _multiplexer.Writer;
        var maxPayload = _multiplexer.MaxSendPayload;
        while (!data.IsEmpty)
        {
            var count = _channel.TakeCredit(Math.Min(data.Length, maxPayload));
            if (count == 0)
            {
                if (mustFlush)
                {
                    // Send what fits in the window before waiting for more of it.
                    mustFlush = false;
                    await writer.FlushAsync().ConfigureAwait(false);
                }

                bool credited;
                try
                {
                    credited = await _channel.WaitForCreditAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    KeepUnsent(data, fromBuffer);
                    throw;
                }

                if (!credited)
                {
                    // CancelPendingFlush: what is not sent stays buffered for the next flush.
                    KeepUnsent(data, fromBuffer);
                    return new FlushResult(isCanceled: true, isCompleted: false);
                }

                continue;
            }

            mustFlush |= writer.Append(FrameType.Data, _channel.Id, data.Span[..count]);
            data = data[count..];
        }

        if (fromBuffer)
        {
            _buffered = 0;
        }

        if (mustFlush)
        {
            await writer.FlushAsync().ConfigureAwait(false);
        }

        _channel.ThrowIfCannotWrite();
        return new FlushResult(isCanceled: false, isCompleted: false);
    }

    /// <summary>
    /// A large write: as much as the window allows at a time, written straight from <paramref name="data"/> when no
    /// other write is in progress (else appended, as small writes are). Completes when it is all written, since the
    /// socket reads the caller's memory.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<FlushResult> SendLargeAsync(ReadOnlyMemory<byte> data, bool fromBuffer, CancellationToken cancellationToken)
    {
        var writer = _multiplexer.Writer;
        while (!data.IsEmpty)
        {
            var count = _channel.TakeCredit(data.Length);
            if (count == 0)
            {
                bool credited;
                try
                {
                    credited = await _channel.WaitForCreditAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    KeepUnsent(data, fromBuffer);
                    throw;
                }

                if (!credited)
                {
                    KeepUnsent(data, fromBuffer);
                    return new FlushResult(isCanceled: true, isCompleted: false);
                }

                continue;
            }

            var maxPayload = _multiplexer.MaxSendPayload;
            var chunk = data[..count];
            data = data[count..];
            if (writer.TryWriteDirect(_channel.Id, chunk, maxPayload, out var written))
            {
                await written.ConfigureAwait(false);
                continue;
            }

            var mustFlush = false;
            while (!chunk.IsEmpty)
            {
                var length = Math.Min(chunk.Length, maxPayload);
                mustFlush |= writer.Append(FrameType.Data, _channel.Id, chunk.Span[..length]);
                chunk = chunk[length..];
            }

            if (mustFlush)
            {
                await writer.FlushAsync().ConfigureAwait(false);
            }
        }

        if (fromBuffer)
        {
            _buffered = 0;
        }

        _channel.ThrowIfCannotWrite();
        return new FlushResult(isCanceled: false, isCompleted: false);
    }

    private void KeepUnsent(ReadOnlyMemory<byte> unsent, bool fromBuffer)
    {
        if (fromBuffer)
        {
            // The unsent bytes are the tail of the buffer: move them to its start.
            unsent.Span.CopyTo(_buffer);
            _buffered = unsent.Length;
            return;
        }

        EnsureCapacity(unsent.Length);
        unsent.Span.CopyTo(_buffer.AsSpan(_buffered));
        _buffered += unsent.Length;
    }

    [MemberNotNull(nameof(_buffer))]
    private void EnsureCapacity(int sizeHint)
    {
        ThrowIfCompleted();
        var needed = _buffered + Math.Max(sizeHint, 1);
        if (_buffer is not null && _buffer.Length >= needed)
        {
            return;
        }

        var pool = _multiplexer.Pool;
        var bigger = pool.RentArray(Math.Max(needed, Math.Max(MinimumBufferSize, (_buffer?.Length ?? 0) * 2)));
        if (_buffer is not null)
        {
            _buffer.AsSpan(0, _buffered).CopyTo(bigger);
            pool.ReturnArray(_buffer);
        }

        _buffer = bigger;
    }

    private void ReturnBuffer()
    {
        if (_buffer is not null)
        {
            _multiplexer.Pool.ReturnArray(_buffer);
            _buffer = null;
        }

        _buffered = 0;
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            ThrowCompleted();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowCompleted() => throw new InvalidOperationException($"The writer of channel {_channel.Id} was completed.");
}
