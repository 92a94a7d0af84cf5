using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Processional.Multiplexing;

/// <summary>
/// A channel's reader: the inbound pipe's reader, plus the accounting that gives the sender credit back as the bytes
/// are consumed (<see cref="AdvanceTo(SequencePosition, SequencePosition)"/>), and when the reader completes.
/// </summary>
internal sealed class ChannelInput : PipeReader
{
    private readonly MultiplexedChannel _channel;
    private readonly PipeReader _reader;
    private readonly object _gate = new();
    private ReadOnlySequence<byte> _last;
    private int _completed;
    private bool _busy;
    private Exception? _detachedBy;

    public ChannelInput(MultiplexedChannel channel, PipeReader reader)
    {
        _channel = channel;
        _reader = reader;
    }

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        var count = _last.IsEmpty ? 0 : _last.GetOffset(consumed) - _last.GetOffset(_last.Start);
        _reader.AdvanceTo(consumed, examined);
        _last = default;
        EndRead();
        if (count > 0)
        {
            _channel.OnConsumed(count);
        }
    }

    public override void CancelPendingRead() => _reader.CancelPendingRead();

    public override void Complete(Exception? exception = null)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return;
        }

        _reader.Complete(exception);
        _channel.OnInputCompleted();
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        BeginRead();
        ValueTask<ReadResult> read;
        try
        {
            read = _reader.ReadAsync(cancellationToken);
        }
        catch
        {
            EndRead();
            throw;
        }

        if (read.IsCompletedSuccessfully)
        {
            var result = read.Result;
            _last = result.Buffer;
            return new ValueTask<ReadResult>(result);
        }

        return AwaitReadAsync(read);
    }

    protected override ValueTask<ReadResult> ReadAtLeastAsyncCore(int minimumSize, CancellationToken cancellationToken)
    {
        // The pipe's own ReadAtLeastAsync waits without allocating; the base class's loops in an async method.
        BeginRead();
        ValueTask<ReadResult> read;
        try
        {
            read = _reader.ReadAtLeastAsync(minimumSize, cancellationToken);
        }
        catch
        {
            EndRead();
            throw;
        }

        if (read.IsCompletedSuccessfully)
        {
            var result = read.Result;
            _last = result.Buffer;
            return new ValueTask<ReadResult>(result);
        }

        return AwaitReadAsync(read);
    }

    public override bool TryRead(out ReadResult result)
    {
        BeginRead();
        if (_reader.TryRead(out result))
        {
            _last = result.Buffer;
            return true;
        }

        EndRead();
        return false;
    }

    /// <summary>
    /// The connection is gone and nothing more will arrive: give the pipe's buffers back now if no read is in
    /// progress, or when the current one ends; later reads throw <paramref name="exception"/>. So an application that
    /// never completes the reader of a dead channel leaks nothing.
    /// </summary>
    internal void Detach(Exception exception)
    {
        lock (_gate)
        {
            _detachedBy ??= exception;
            if (_busy)
            {
                return;
            }
        }

        Complete();
    }

    private void BeginRead()
    {
        lock (_gate)
        {
            if (_detachedBy is not null && Volatile.Read(ref _completed) != 0)
            {
                throw _detachedBy switch
                {
                    ObjectDisposedException disposed => new ObjectDisposedException(disposed.ObjectName, disposed.Message),
                    ChannelResetException reset => new ChannelResetException(reset.ChannelId, reset.Reason, reset.ByPeer),
                    _ => new Transport.ConnectionLostException(_detachedBy.Message, _detachedBy.InnerException),
                };
            }

            _busy = true;
        }
    }

    private void EndRead()
    {
        lock (_gate)
        {
            _busy = false;
            if (_detachedBy is null)
            {
                return;
            }
        }

        Complete();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> AwaitReadAsync(ValueTask<ReadResult> read)
    {
        try
        {
            var result = await read.ConfigureAwait(false);
            _last = result.Buffer;
            return result;
        }
        catch
        {
            EndRead();
            throw;
        }
    }
}
