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
    private ReadOnlySequence<byte> _last;
    private int _completed;

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
        var read = _reader.ReadAsync(cancellationToken);
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
        if (_reader.TryRead(out result))
        {
            _last = result.Buffer;
            return true;
        }

        return false;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> AwaitReadAsync(ValueTask<ReadResult> read)
    {
        var result = await read.ConfigureAwait(false);
        _last = result.Buffer;
        return result;
    }
}
