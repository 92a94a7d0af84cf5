using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Pipelines;
using Processional.Transport;

namespace Processional.Multiplexing;

/// <summary>The reading loop: parses frames off the transport and hands them to channels.</summary>
public sealed partial class Multiplexer
{
    private long _lastReceived;
    private long _offset;
    private bool _settingsReceived;

    // Data frames whose payload has at least this much left to arrive are received straight into the channel's
    // buffer (over a socket transport, on its receiving thread), in chunks of at most the second value.
    private const int DirectReceiveThreshold = 16 * 1024;
    private const int MaxDirectChunk = 1 << 20;

    // The parts of a message received so far (MessagePart frames), gathered until its last part.
    private byte[]? _partial;
    private int _partialLength;

    // The large Data frame being received straight into its channel's buffer: the channel, the bytes still to come,
    // whether they are discarded (the channel stopped reading), and whether the stream ended in the middle of it.
    private SocketTransport? _socketTransport;
    private MultiplexedChannel? _directChannel;
    private long _directRemaining;
    private bool _directDiscarding;
    private bool _directInterrupted;
    private byte[]? _discard;

    // In a stream of large Data frames, the next receive should stop at the next header, so that the payload after it
    // can go straight to its channel: how many bytes that is (0: no preference), and whether the last frame was one.
    private int _wantBytes;
    private bool _lastWasLargeData;
    private long _directBytesReceived;

    // The synchronous reader's state (see IDirectReceiver.Available).
    private readonly Lock _syncReadLock = new();
    private bool _syncReading;
    private bool _syncReadOver;

    /// <summary>Payload bytes received straight into channels' buffers (tests check that bulk data takes that path).</summary>
    internal long DirectBytesReceived => Volatile.Read(ref _directBytesReceived);

    private async Task ReadLoopAsync()
    {
        var input = _transport.Input;
        try
        {
            while (true)
            {
                ReadResult result;
                try
                {
                    result = await input.ReadAsync().ConfigureAwait(false);
                }
#pragma warning disable CA1031 // Whatever the transport throws ends this connection; after a close it is expected.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    ReadFailed(ex);
                    return;
                }

                if (!OnRead(input, result))
                {
                    return;
                }
            }
        }
        finally
        {
            input.Complete();
            ReleasePartialMessage();
        }
    }

    /// <summary>
    /// The synchronous reader (over a <see cref="SocketTransport"/>): called on the receiving thread after each flush into
    /// the input, after its completion, and by this side at the start and at shutdown; one caller at a time.
    /// </summary>
    void IDirectReceiver.Available()
    {
        lock (_syncReadLock)
        {
            // Once over, or re-entered from a handler that closed the connection (the outer call finishes).
            if (_syncReadOver || _syncReading)
            {
                return;
            }

            var input = _transport.Input;
            _syncReading = true;
            var more = false;
            try
            {
                ReadResult result;
                try
                {
                    if (!input.TryRead(out result))
                    {
                        more = true;
                        return;
                    }
                }
#pragma warning disable CA1031 // Whatever the transport throws ends this connection; after a close it is expected.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    ReadFailed(ex);
                    return;
                }

                // Closed meanwhile: the asynchronous loop would stop at its next read; this one stops now.
                more = OnRead(input, result) && Volatile.Read(ref _closedBy) is null;
            }
            finally
            {
                _syncReading = false;
                if (!more)
                {
                    _syncReadOver = true;
                    input.Complete();
                    ReleasePartialMessage();
                    _readEnded!.TrySetResult();
                }
            }
        }
    }

    private void ReadFailed(Exception ex)
    {
        var lost = new ConnectionLostException($"Reading from the peer failed: {ex.Message}", ex);
        Terminate(lost, lost, 0, null);
    }

    /// <summary>Handles what one read of the input returned; false when reading is over (closed, ended, canceled, or the peer broke the protocol).</summary>
    private bool OnRead(PipeReader input, ReadResult result)
    {
        if (Volatile.Read(ref _closedBy) is not null)
        {
            input.AdvanceTo(result.Buffer.Start);
            return false;
        }

        var buffer = result.Buffer;
        Volatile.Write(ref _lastReceived, Environment.TickCount64);
        SequencePosition consumed;
        // What the frames' handlers send on this thread leaves in one write when the batch is done.
        Writer.BeginBatch();
        try
        {
            consumed = ProcessFrames(buffer);
        }
        catch (ProtocolException ex)
        {
            input.AdvanceTo(buffer.Start, buffer.End);
            var lost = new ConnectionLostException($"The connection was closed because the peer broke the protocol: {ex.Message}", ex);
            Terminate(lost, ex, Frame.GoAwayProtocolError, ex.Message);
            return false;
        }
        finally
        {
            Writer.EndBatch();
        }

        var remaining = buffer.Slice(consumed).Length;
        input.AdvanceTo(consumed, buffer.End);
        if (result.IsCompleted)
        {
            var lost = new ConnectionLostException(
                _directInterrupted ? "The peer closed the connection in the middle of a Data frame's payload."
                : remaining == 0 ? "The peer closed the connection."
                : $"The peer closed the connection in the middle of a frame ({remaining} bytes of it received, at byte {_offset}).");
            Terminate(lost, lost, 0, null);
            return false;
        }

        return !result.IsCanceled;
    }

    /// <summary>Handles every whole frame in <paramref name="buffer"/>; returns where the first incomplete one starts.</summary>
    private SequencePosition ProcessFrames(ReadOnlySequence<byte> buffer)
    {
        Span<byte> header = stackalloc byte[Frame.HeaderLength];
        while (buffer.Length >= Frame.HeaderLength && Volatile.Read(ref _closedBy) is null)
        {
            var first = buffer.FirstSpan;
            if (first.Length >= Frame.HeaderLength)
            {
                first[..Frame.HeaderLength].CopyTo(header);
            }
            else
            {
                buffer.Slice(0, Frame.HeaderLength).CopyTo(header);
            }

            var word = BinaryPrimitives.ReadUInt32LittleEndian(header);
            var type = (FrameType)(byte)word;
            var length = (int)(word >> 8);
            var channel = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);

            // The length is checked before waiting for the payload: an absurd length fails now, not after megabytes.
            CheckLength(type, length, channel, header);
            if (buffer.Length - Frame.HeaderLength < length)
            {
                if (type == FrameType.Data && TryBeginDirect(channel, length, buffer.Slice(Frame.HeaderLength), header))
                {
                    // The rest of the payload goes straight from the socket to the channel (IDirectReceiver).
                    _offset += Frame.HeaderLength + length;
                    buffer = buffer.Slice(buffer.End);
                }

                break;
            }

            var payload = buffer.Slice(Frame.HeaderLength, length);
            Dispatch(type, channel, payload, header);
            _offset += Frame.HeaderLength + length;
            _lastWasLargeData = type == FrameType.Data && length >= DirectReceiveThreshold;
            buffer = buffer.Slice(payload.End);
        }

        _wantBytes = _socketTransport is null || _directChannel is not null ? 0 : BytesToNextHeader(buffer, header);
        return buffer.Start;
    }

    /// <summary>
    /// After a large Data frame, or in one that is too far along to be worth receiving directly: how many bytes complete
    /// it and bring in the next header (so that the next payload can go straight to its channel); 0 otherwise.
    /// </summary>
    private int BytesToNextHeader(in ReadOnlySequence<byte> rest, Span<byte> header)
    {
        if (rest.Length < Frame.HeaderLength)
        {
            return _lastWasLargeData ? Frame.HeaderLength - (int)rest.Length : 0;
        }

        rest.Slice(0, Frame.HeaderLength).CopyTo(header);
        var word = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var length = (int)(word >> 8);
        return (FrameType)(byte)word == FrameType.Data && length >= DirectReceiveThreshold
            ? (int)(Frame.HeaderLength + length - rest.Length) + Frame.HeaderLength
            : 0;
    }

    /// <summary>
    /// A large Data frame whose header is in and whose payload is still mostly to come: on the receiving thread of a
    /// socket transport, deliver the part that is here and have the transport receive the rest straight into the
    /// channel's buffer. Returns false to wait for the whole frame as usual (every rule is then checked as usual).
    /// </summary>
    private bool TryBeginDirect(uint channelId, int length, in ReadOnlySequence<byte> available, ReadOnlySpan<byte> header)
    {
        if (_socketTransport is not { IsReceivingThread: true }
            || length - available.Length < DirectReceiveThreshold
            || !TryGetChannel(channelId, out var channel)
            || !channel.CanReceiveDirect(length))
        {
            return false;
        }

        var error = channel.OnData(available);
        if (error is not null)
        {
            throw Violation(header, error);
        }

        _directChannel = channel;
        _directRemaining = length - available.Length;
        return true;
    }

    Memory<byte> IDirectReceiver.GetDirectTarget(out int then)
    {
        then = 0;
        var channel = _directChannel;
        if (channel is null)
        {
            then = _wantBytes;
            return default;
        }

        if (Volatile.Read(ref _closedBy) is not null)
        {
            // The connection is over: what follows goes nowhere.
            channel.EndDirect();
            _directChannel = null;
            return default;
        }

        var size = (int)Math.Min(_directRemaining, MaxDirectChunk);
        var memory = channel.GetDirectMemory(size);
        _directDiscarding = memory.IsEmpty;
        if (_directDiscarding)
        {
            _discard ??= Pool.RentArray(64 * 1024);
            memory = _discard.AsMemory(0, Math.Min(size, _discard.Length));
        }

        // The payload's last bytes may bring the next frame's header along, into the input pipe, in the same receive.
        then = memory.Length == _directRemaining ? Frame.HeaderLength : 0;
        return memory;
    }

    void IDirectReceiver.DirectReceived(int count)
    {
        var channel = _directChannel!;
        if (_directDiscarding)
        {
            channel.DiscardDirect(count);
        }
        else
        {
            channel.CommitDirect(count);
            Volatile.Write(ref _directBytesReceived, _directBytesReceived + count);
        }

        Volatile.Write(ref _lastReceived, Environment.TickCount64);
        _directRemaining -= count;
        if (_directRemaining == 0)
        {
            _directChannel = null;
            _lastWasLargeData = true;
            _wantBytes = Frame.HeaderLength;
        }
    }

    void IDirectReceiver.DirectEnded()
    {
        if (_directChannel is not null)
        {
            _directInterrupted = true;
            _directChannel.EndDirect();
            _directChannel = null;
        }

        if (_discard is not null)
        {
            Pool.ReturnArray(_discard);
            _discard = null;
        }
    }

    private void CheckLength(FrameType type, int length, uint channel, ReadOnlySpan<byte> header)
    {
        var expected = type switch
        {
            FrameType.Settings => Frame.SettingsLength,
            FrameType.Open or FrameType.End => 0,
            FrameType.WindowUpdate => Frame.WindowUpdateLength,
            FrameType.Ping or FrameType.Pong => Frame.PingLength,
            FrameType.Data or FrameType.Reset or FrameType.GoAway or FrameType.Message or FrameType.MessagePart => -1,
            _ => throw Violation(header, $"unknown frame type 0x{(byte)type:X2}"),
        };

        if (expected >= 0 && length != expected)
        {
            throw Violation(header, $"{type} frame with a payload of {length} bytes; it must have {expected}");
        }

        if (expected < 0 && length > Options.MaxFramePayload)
        {
            throw Violation(header, $"{type} frame on channel {channel} with a payload of {length} bytes, over the limit of {Options.MaxFramePayload}");
        }

        if (!_settingsReceived && type != FrameType.Settings)
        {
            throw Violation(header, $"{type} frame before the Settings frame, which must come first");
        }
    }

    private void Dispatch(FrameType type, uint channelId, in ReadOnlySequence<byte> payload, ReadOnlySpan<byte> header)
    {
        switch (type)
        {
            case FrameType.Settings:
                OnSettings(channelId, payload, header);
                return;
            case FrameType.Open:
                OnOpen(channelId, header);
                return;
            case FrameType.Ping:
                CheckConnectionFrame(channelId, type, header);
                Span<byte> ping = stackalloc byte[Frame.PingLength];
                payload.CopyTo(ping);

                // A peer that pings without reading must not make answers pile up here.
                if (Writer.AppendIfBelow(64 * 1024, FrameType.Pong, 0, ping))
                {
                    Writer.FlushInBackground();
                }

                return;
            case FrameType.Pong:
                CheckConnectionFrame(channelId, type, header);
                return;
            case FrameType.GoAway:
                CheckConnectionFrame(channelId, type, header);
                OnGoAway(payload, header);
                return;
            case FrameType.Message:
            case FrameType.MessagePart:
                CheckConnectionFrame(channelId, type, header);
                OnMessageFrame(type, payload, header);
                return;
        }

        if (!TryGetChannel(channelId, out var channel))
        {
            if (IsClosedChannel(channelId))
            {
                // A frame that crossed this side's reset or end: the channel is gone, the frame means nothing now.
                return;
            }

            throw Violation(header, $"{type} frame for channel {channelId}, which was never opened");
        }

        string? error;
        switch (type)
        {
            case FrameType.Data:
                error = channel.OnData(payload);
                break;
            case FrameType.WindowUpdate:
                Span<byte> increment = stackalloc byte[4];
                payload.CopyTo(increment);
                error = channel.OnWindowUpdate(BinaryPrimitives.ReadUInt32LittleEndian(increment));
                break;
            case FrameType.End:
                error = channel.OnEnd();
                break;
            default:
                channel.OnReset(DecodeMessage(payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray()));
                error = null;
                break;
        }

        if (error is not null)
        {
            throw Violation(header, error);
        }
    }

    /// <summary>A message, or a part of one: gathers parts, and hands each whole message to the handler, here and now.</summary>
    private void OnMessageFrame(FrameType type, in ReadOnlySequence<byte> payload, ReadOnlySpan<byte> header)
    {
        if (_messageHandler is null)
        {
            throw Violation(header, $"{type} frame, but this side takes no messages (its multiplexer was started without a message handler)");
        }

        if (type == FrameType.Message && _partialLength == 0 && _partial is null)
        {
            // A whole message in one frame: straight from the receive buffer, no copy.
            DeliverMessage(payload);
            return;
        }

        var length = (long)_partialLength + payload.Length;
        if (length > Options.MaxMessageLength)
        {
            throw Violation(header, $"a message of more than {Options.MaxMessageLength} bytes, this side's limit (MultiplexerOptions.MaxMessageLength)");
        }

        if (_partial is null || _partial.Length < length)
        {
            var bigger = Pool.RentArray((int)Math.Min(Math.Max(length, Math.Max(64 * 1024, (_partial?.Length ?? 0) * 2L)), Options.MaxMessageLength));
            if (_partial is not null)
            {
                _partial.AsSpan(0, _partialLength).CopyTo(bigger);
                Pool.ReturnArray(_partial);
            }

            _partial = bigger;
        }

        payload.CopyTo(_partial.AsSpan(_partialLength));
        _partialLength = (int)length;
        if (type == FrameType.MessagePart)
        {
            return;
        }

        try
        {
            DeliverMessage(new ReadOnlySequence<byte>(_partial, 0, _partialLength));
        }
        finally
        {
            ReleasePartialMessage();
        }
    }

    private void DeliverMessage(in ReadOnlySequence<byte> message)
    {
        try
        {
            _messageHandler!.OnMessage(message);
        }
#pragma warning disable CA1031 // Whatever the handler throws closes this connection, reported through Completion.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var failed = new ConnectionLostException($"The connection was closed because its message handler threw {ex.GetType().Name}: {ex.Message}", ex);
            Terminate(failed, failed, Frame.GoAwayError, $"The peer's message handler failed ({ex.GetType().Name}: {ex.Message}).");
        }
    }

    private void ReleasePartialMessage()
    {
        if (_partial is not null)
        {
            Pool.ReturnArray(_partial);
            _partial = null;
        }

        _partialLength = 0;
    }

    private void OnSettings(uint channelId, in ReadOnlySequence<byte> payload, ReadOnlySpan<byte> header)
    {
        CheckConnectionFrame(channelId, FrameType.Settings, header);
        if (_settingsReceived)
        {
            throw Violation(header, "a second Settings frame");
        }

        Span<byte> bytes = stackalloc byte[Frame.SettingsLength];
        payload.CopyTo(bytes);
        var window = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        var maxPayload = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        if (window < Frame.MinWindow || window > Frame.MaxWindow)
        {
            throw Violation(header, $"Settings with a window of {window} bytes; it must be from {Frame.MinWindow} to {Frame.MaxWindow}");
        }

        if (maxPayload < Frame.MinMaxPayload || maxPayload > Frame.MaxPayloadLimit)
        {
            throw Violation(header, $"Settings with a largest payload of {maxPayload} bytes; it must be from {Frame.MinMaxPayload} to {Frame.MaxPayloadLimit}");
        }

        _settingsReceived = true;
        Volatile.Write(ref _peerMaxPayload, (int)maxPayload);
        lock (_channelsLock)
        {
            // Channels opened before the peer's window was known start now.
            _peerWindow = (int)window;
            if (_channels.Count == 1 && _channels.TryGetValue(0, out var rpc))
            {
                // The usual case (the settings are the peer's first frame): only channel 0 is open. Not enumerating
                // spares every process's first connection the JIT compilation of the dictionary's enumerator.
                rpc.AddInitialCredit(window);
            }
            else
            {
                foreach (var channel in _channels.Values)
                {
                    channel.AddInitialCredit(window);
                }
            }
        }
    }

    private void OnOpen(uint channelId, ReadOnlySpan<byte> header)
    {
        var peerParity = _role == ConnectionRole.Client ? 0u : 1u;
        if (channelId == 0 || (channelId & 1) != peerParity)
        {
            throw Violation(header, $"Open of channel {channelId}, an id the peer may not open (it opens {(peerParity == 1 ? "odd" : "even")} ids from {(peerParity == 1 ? 1 : 2)})");
        }

        MultiplexedChannel? channel = null;
        lock (_channelsLock)
        {
            if (channelId <= _highestRemoteId)
            {
                throw Violation(header, $"Open of channel {channelId}, not above the last channel the peer opened ({_highestRemoteId})");
            }

            _highestRemoteId = channelId;
            if (_channels.Count < Options.MaxChannels)
            {
                channel = new MultiplexedChannel(this, channelId, _peerWindow);
                _channels[channelId] = channel;
            }
        }

        if (channel is null)
        {
            // Over the limit: refuse this channel politely; the connection and the other channels go on.
            if (Writer.Append(FrameType.Reset, channelId, MultiplexedChannel.EncodeMessage($"The peer has {Options.MaxChannels} channels open, its limit.")))
            {
                Writer.FlushInBackground();
            }

            return;
        }

        if (!Accepted.Writer.TryWrite(channel))
        {
            channel.Abandon(new ObjectDisposedException(ToString()));
        }
    }

    private void OnGoAway(in ReadOnlySequence<byte> payload, ReadOnlySpan<byte> header)
    {
        if (payload.Length == 0)
        {
            throw Violation(header, "GoAway without its code byte");
        }

        var bytes = payload.ToArray();
        var reason = DecodeMessage(bytes.AsSpan(1));
        var lost = new ConnectionLostException(bytes[0] switch
        {
            Frame.GoAwayNormal => $"The peer closed the connection: {reason}",
            Frame.GoAwayProtocolError => $"The peer closed the connection because this side broke the protocol: {reason}",
            _ => $"The peer closed the connection because of an error: {reason}",
        });
        Terminate(lost, bytes[0] == Frame.GoAwayNormal ? null : lost, 0, null);
    }

    private void CheckConnectionFrame(uint channelId, FrameType type, ReadOnlySpan<byte> header)
    {
        if (channelId != 0)
        {
            throw Violation(header, $"{type} frame on channel {channelId}; it belongs to the connection and must carry channel 0");
        }
    }

    private bool IsClosedChannel(uint channelId)
    {
        if (channelId == 0)
        {
            return true;
        }

        var localParity = _role == ConnectionRole.Client ? 1u : 0u;
        lock (_channelsLock)
        {
            return (channelId & 1) == localParity ? channelId < _nextLocalId : channelId <= _highestRemoteId;
        }
    }

    private ProtocolException Violation(ReadOnlySpan<byte> header, string what) =>
        new(string.Create(
            CultureInfo.InvariantCulture,
            $"{what} (frame at byte {_offset} of the multiplexed stream, header {Convert.ToHexString(header)})."));
}
