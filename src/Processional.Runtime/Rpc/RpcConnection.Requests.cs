using System.Buffers;
using Processional.Serialization;

namespace Processional.Rpc;

/// <summary>The called side: requests, their responses, cancellation from the caller, and stream producers.</summary>
public sealed partial class RpcConnection
{
    private readonly Lock _incomingLock = new();
    private readonly Dictionary<ulong, IncomingCall> _incoming = [];
    private readonly Dictionary<ulong, StreamSlot> _streams = [];

    private void OnRequest(ulong callId, ref ProcessionalReader reader, ReadOnlySequence<byte> message)
    {
        var objectId = reader.ReadUInt64();
        var methodId = reader.ReadUInt32();
        var flags = (RpcRequestFlags)reader.ReadByte();
        var target = FindExport(objectId);
        if (target is null)
        {
            var missing = new InvalidOperationException(DescribeMissingObject(objectId));
            if ((flags & RpcRequestFlags.OneWay) != 0)
            {
                UnobservedExceptions.Report(missing, ToString());
            }
            else
            {
                SendFailure(callId, missing, stream: (flags & RpcRequestFlags.Stream) != 0);
            }

            return;
        }

        var call = IncomingCall.Rent(this, target, callId, methodId, flags, message.Slice(reader.Consumed));
        if ((flags & (RpcRequestFlags.Cancelable | RpcRequestFlags.Stream)) != 0)
        {
            lock (_incomingLock)
            {
                if ((flags & RpcRequestFlags.Cancelable) != 0)
                {
                    _incoming[callId] = call;
                }

                if ((flags & RpcRequestFlags.Stream) != 0)
                {
                    _streams[callId] = new StreamSlot();
                }
            }
        }

        target.Schedule(call);
    }

    private void OnCancel(ulong callId)
    {
        StreamSlot? stream;
        lock (_incomingLock)
        {
            if (_incoming.TryGetValue(callId, out var call))
            {
                call.CancelFromPeer();
            }

            _streams.TryGetValue(callId, out stream);
        }

        stream?.Cancel();
    }

    internal void RemoveIncoming(ulong callId)
    {
        lock (_incomingLock)
        {
            _incoming.Remove(callId);
        }
    }

    private StreamSlot? FindStream(ulong streamId)
    {
        lock (_incomingLock)
        {
            return _streams.TryGetValue(streamId, out var stream) ? stream : null;
        }
    }

    internal void StartProducer<T>(ulong streamId, ExportedObject target, IAsyncEnumerable<T> items)
    {
        var slot = FindStream(streamId);
        if (slot is null)
        {
            // The connection closed meanwhile.
            return;
        }

        slot.Attach(new StreamProducer<T>(this, target, streamId, items));
    }

    internal void RemoveProducer(ulong streamId)
    {
        lock (_incomingLock)
        {
            _streams.Remove(streamId);
        }
    }

    /// <summary>Writes and sends the response of <paramref name="call"/>; a result that cannot be serialized fails that call only.</summary>
    internal void SendResponse<T>(IncomingCall call, T? value, RpcResultWriter<T> resultWriter)
    {
        if (call.IsOneWay)
        {
            return;
        }

        var buffer = RpcMessageBuffer.Rent();
        var writer = BeginMessage(buffer, RpcMessageType.Response, call.CallId);
        try
        {
            resultWriter.Write(ref writer, value, this);
            writer.Flush();
        }
#pragma warning disable CA1031 // The caller gets the serialization failure instead of the result.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            buffer.Return();
            SendFailure(call.CallId, new ProcessionalSerializationException(
                $"The result of type '{typeof(T)}' could not be serialized: {ex.Message}", ex), stream: false);
            return;
        }

        SendReply(buffer);
    }

    /// <summary>Sends a reply, or holds it in the batch of the ordered queue running on this thread.</summary>
    private void SendReply(RpcMessageBuffer reply)
    {
        if (ResponseBatch.Current is { } batch)
        {
            batch.Hold(this, reply);
        }
        else
        {
            SendQuietly(reply);
        }
    }

    /// <summary>Sends replies held back together; a lost connection is not an error for them.</summary>
    internal void SendRepliesQuietly(List<RpcMessageBuffer> replies)
    {
        if (Volatile.Read(ref _closeReason) is not null)
        {
            foreach (var reply in replies)
            {
                reply.Return();
            }

            return;
        }

        try
        {
            _transport.SendMany(replies);
        }
        catch (Exception ex) when (ex is Processional.Transport.ConnectionLostException or ObjectDisposedException)
        {
        }
    }

    internal void SendFailure(IncomingCall call, Exception exception)
    {
        if (call.IsOneWay)
        {
            UnobservedExceptions.Report(exception, $"a one-way call on the {this}");
            return;
        }

        SendFailure(call.CallId, exception, stream: (call.Flags & RpcRequestFlags.Stream) != 0);
    }

    private void SendFailure(ulong callId, Exception exception, bool stream)
    {
        if (stream)
        {
            // The caller waits for a stream: the failure ends it.
            RemoveProducer(callId);
            SendStreamEnd(callId, exception);
            return;
        }

        var buffer = RpcMessageBuffer.Rent();
        var writer = BeginMessage(buffer, RpcMessageType.Error, callId);
        writer.WriteValue(RemoteExceptionInfo.Capture(exception));
        writer.Flush();
        SendReply(buffer);
    }

    internal void SendProgress<T>(ulong callId, byte index, T value)
    {
        var buffer = RpcMessageBuffer.Rent();
        var writer = BeginMessage(buffer, RpcMessageType.Progress, callId);
        writer.WriteUnmanaged(index);
        writer.WriteValue(value);
        writer.Flush();
        SendQuietly(buffer);
    }

    internal bool TrySendStreamItem<T>(ulong streamId, T item)
    {
        var buffer = RpcMessageBuffer.Rent();
        var writer = BeginMessage(buffer, RpcMessageType.StreamItem, streamId);
        try
        {
            writer.WriteValue(item);
            writer.Flush();
        }
#pragma warning disable CA1031 // An item that cannot be serialized ends the stream with that error.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            buffer.Return();
            SendStreamEnd(streamId, new ProcessionalSerializationException($"A stream item of type '{typeof(T)}' could not be serialized: {ex.Message}", ex));
            return false;
        }

        try
        {
            Send(buffer);
            return true;
        }
        catch (Exception ex) when (ex is global::Processional.Transport.ConnectionLostException or ObjectDisposedException)
        {
            return false;
        }
    }

    internal void SendStreamEnd(ulong streamId, Exception? failure)
    {
        var buffer = RpcMessageBuffer.Rent();
        var writer = BeginMessage(buffer, RpcMessageType.StreamEnd, streamId);
        writer.WriteUnmanaged((byte)(failure is null ? 0 : 1));
        if (failure is not null)
        {
            writer.WriteValue(RemoteExceptionInfo.Capture(failure));
        }

        writer.Flush();
        SendQuietly(buffer);
    }

    /// <summary>The token of incoming calls sent without one of their own (see <see cref="IncomingCall.CancellationToken"/>).</summary>
    internal CancellationToken UncancelableCallsToken => _uncancelableCalls.Token;

    /// <summary>Cancels every incoming call, those sent without a token included (a slave stopped with CancelCallsOnStop).</summary>
    internal void CancelEveryIncoming()
    {
        CancelAllIncoming();
        CancelQuietly(_uncancelableCalls);
    }

    /// <summary>Cancels a source; what its callbacks throw is theirs (each already ran), not the caller's.</summary>
    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
#pragma warning disable CA1031 // Callbacks registered by user code on a call's token must not break closing the connection.
        catch (AggregateException)
#pragma warning restore CA1031
        {
        }
    }

    private void CancelAllIncoming()
    {
        StreamSlot[] streams;
        lock (_incomingLock)
        {
            foreach (var call in _incoming.Values)
            {
                call.CancelFromPeer();
            }

            streams = [.. _streams.Values];
        }

        foreach (var stream in streams)
        {
            stream.Cancel();
        }
    }
}
