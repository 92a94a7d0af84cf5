using System.Diagnostics.CodeAnalysis;
using Processional.Serialization;
using Processional.Transport;

namespace Processional.Rpc;

/// <summary>The calling side: pending calls, their responses, cancellation and streamed results.</summary>
public sealed partial class RpcConnection
{
    private readonly Lock _pendingLock = new();
    private readonly Dictionary<ulong, PendingCall> _pending = [];
    private long _nextCallId;

    /// <summary>Starts a call of method <paramref name="methodId"/> on the peer's object <paramref name="objectId"/>.</summary>
    internal RpcCall BeginCall(ulong objectId, uint methodId, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _closeReason) is { } reason)
        {
            throw ClosedException(reason);
        }

        var callId = (ulong)Interlocked.Increment(ref _nextCallId);
        return new RpcCall(this, RpcMessageBuffer.Rent(), callId, objectId, methodId, cancellationToken);
    }

    /// <summary>Registers the pending call (if any), sends the request, and arms its cancellation.</summary>
    internal void SendRequest(RpcMessageBuffer request, PendingCall? pending)
    {
        if (pending is null)
        {
            Send(request);
            return;
        }

        lock (_pendingLock)
        {
            if (Volatile.Read(ref _closeReason) is { } reason)
            {
                request.Return();
                pending.OnFailure(ClosedException(reason));
                return;
            }

            _pending.Add(pending.CallId, pending);
        }

        try
        {
            Send(request);
        }
        catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException)
        {
            if (TryRemovePending(pending))
            {
                pending.OnFailure(ex);
            }

            return;
        }

        pending.OnSent();
        pending.RegisterCancellation();
    }

    internal bool TryRemovePending(PendingCall pending)
    {
        lock (_pendingLock)
        {
            if (_pending.TryGetValue(pending.CallId, out var found) && ReferenceEquals(found, pending))
            {
                _pending.Remove(pending.CallId);
                return true;
            }

            return false;
        }
    }

    internal void SendCancel(ulong callId) => SendControl(RpcMessageType.Cancel, callId);

    internal void SendStreamCancel(ulong streamId) => SendControl(RpcMessageType.StreamCancel, streamId);

    internal void SendStreamCredit(ulong streamId, int credit)
    {
        var buffer = RpcMessageBuffer.Rent();
        var writer = BeginMessage(buffer, RpcMessageType.StreamCredit, streamId);
        writer.WriteUnmanaged((uint)credit);
        writer.Flush();
        SendQuietly(buffer);
    }

    private void SendControl(RpcMessageType type, ulong id)
    {
        var buffer = RpcMessageBuffer.Rent();
        var writer = BeginMessage(buffer, type, id);
        writer.Flush();
        SendQuietly(buffer);
    }

    private bool TryTakePending(ulong callId, [NotNullWhen(true)] out PendingCall? pending)
    {
        lock (_pendingLock)
        {
            return _pending.Remove(callId, out pending);
        }
    }

    private bool TryFindPending(ulong callId, [NotNullWhen(true)] out PendingCall? pending)
    {
        lock (_pendingLock)
        {
            return _pending.TryGetValue(callId, out pending);
        }
    }

    private void OnStreamItem(ulong streamId, ref ProcessionalReader reader)
    {
        if (TryFindPending(streamId, out var pending))
        {
            pending.OnStreamItem(ref reader);
        }
    }

    private void OnStreamEnd(ulong streamId, ref ProcessionalReader reader)
    {
        if (!TryTakePending(streamId, out var pending))
        {
            return;
        }

        Exception? failure = null;
        if (reader.ReadByte() != 0)
        {
            failure = RemoteExceptions.Create(reader.ReadValue<RemoteExceptionInfo>()!);
        }

        pending.OnStreamEnd(failure);
    }

    private void FailAllPending(Exception reason)
    {
        PendingCall[] pending;
        lock (_pendingLock)
        {
            pending = [.. _pending.Values];
            _pending.Clear();
        }

        foreach (var call in pending)
        {
            call.OnFailure(reason);
        }
    }
}
