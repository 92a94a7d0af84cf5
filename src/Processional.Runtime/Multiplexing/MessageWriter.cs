using System.Buffers;

namespace Processional.Multiplexing;

/// <summary>
/// Writes one message of channel 0 straight into the connection's frame buffer, so that a serializer writes its bytes
/// where they are sent from, without a copy: get it from <see cref="Multiplexer.BeginMessage"/>, write through
/// <see cref="IBufferWriter{T}"/> (for example <c>ProcessionalSerializer.Serialize(writer, value)</c>), then
/// <see cref="Send"/>. <see cref="Dispose"/> without <see cref="Send"/> drops the message.
/// </summary>
/// <remarks>
/// From <see cref="Multiplexer.BeginMessage"/> to <see cref="Send"/> or <see cref="Dispose"/>, the writer holds the
/// connection's frame lock: every other sender of the connection waits (the reading thread too, when it has a window
/// update or a reply to send). So write the message at once, on the thread that began it, without awaiting or blocking
/// in between. Each multiplexer has one <see cref="MessageWriter"/>, reused for every message.
/// </remarks>
public sealed class MessageWriter : IBufferWriter<byte>, IDisposable
{
    private readonly Multiplexer _multiplexer;
    private bool _active;
    private int _owner;

    internal MessageWriter(Multiplexer multiplexer) => _multiplexer = multiplexer;

    /// <summary>How many bytes of the message are written so far.</summary>
    public long WrittenCount
    {
        get
        {
            ThrowIfInactive();
            return _multiplexer.Writer.MessageLength;
        }
    }

    /// <inheritdoc/>
    public void Advance(int count)
    {
        ThrowIfInactive();
        _multiplexer.Writer.AdvanceMessage(count);
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        ThrowIfInactive();
        return _multiplexer.Writer.GetMessageMemory(sizeHint);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        ThrowIfInactive();
        return _multiplexer.Writer.GetMessageSpan(sizeHint);
    }

    /// <summary>
    /// Sends the message: it is complete in the frame buffer, and goes to the socket now, on this thread, unless
    /// another write is in progress (then that writer sends it next). Never blocks on a full socket.
    /// </summary>
    /// <exception cref="InvalidOperationException">The message was already sent or dropped.</exception>
    public void Send()
    {
        ThrowIfInactive();
        _active = false;
        if (_multiplexer.Writer.EndMessage())
        {
            _multiplexer.Writer.FlushInBackground();
        }
    }

    /// <summary>Drops the message if it was not sent (after an exception while writing it); does nothing after <see cref="Send"/>.</summary>
    public void Dispose()
    {
        if (_active && _owner == Environment.CurrentManagedThreadId)
        {
            _active = false;
            _multiplexer.Writer.AbortMessage();
        }
    }

    internal void Activate()
    {
        _owner = Environment.CurrentManagedThreadId;
        _active = true;
    }

    private void ThrowIfInactive()
    {
        if (!_active || _owner != Environment.CurrentManagedThreadId)
        {
            throw new InvalidOperationException("No message is being written on this thread: it was already sent or dropped, or it was begun on another thread. Begin one with Multiplexer.BeginMessage.");
        }
    }
}
