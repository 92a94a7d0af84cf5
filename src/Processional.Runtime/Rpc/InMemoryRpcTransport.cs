using System.Buffers;
using System.Threading.Channels;
using Processional.Transport;

namespace Processional.Rpc;

/// <summary>
/// Two RPC transports connected in memory: what one sends, the other's handler receives on a loop of its own, as it
/// would from a socket's reading loop. Used by <see cref="RpcConnection.CreateInProcessPair"/> and by tests.
/// </summary>
internal sealed class InMemoryRpcTransport : IRpcTransport
{
    private readonly Channel<RpcMessageBuffer> _inbox = Channel.CreateUnbounded<RpcMessageBuffer>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _name;
    private InMemoryRpcTransport _peer = null!;
    private Task? _loop;
    private int _closed;
    private int _writes;

    private InMemoryRpcTransport(string name) => _name = name;

    public string Description => $"in-process peer '{_name}'";

    public static (InMemoryRpcTransport First, InMemoryRpcTransport Second) CreatePair()
    {
        var first = new InMemoryRpcTransport("first");
        var second = new InMemoryRpcTransport("second");
        first._peer = second;
        second._peer = first;
        return (first, second);
    }

    public void Start(IRpcMessageHandler handler) => _loop = Task.Run(() => DeliverAsync(handler));

    /// <summary>How many sends the transport of <paramref name="connection"/> made (tests count batched replies with it).</summary>
    internal static int WritesBy(RpcConnection connection) => Volatile.Read(ref ((InMemoryRpcTransport)connection.Transport)._writes);

    public void Send(RpcMessageBuffer message)
    {
        Interlocked.Increment(ref _writes);
        if (Volatile.Read(ref _closed) != 0 || !_peer._inbox.Writer.TryWrite(message))
        {
            message.Return();
            throw new ConnectionLostException($"The connection to the {_peer.Description} is closed.");
        }
    }

    public void SendMany(List<RpcMessageBuffer> messages)
    {
        // One write for the whole batch, as a socket transport makes (each Send below counts one).
        Interlocked.Add(ref _writes, 1 - messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            try
            {
                Send(messages[i]);
            }
            catch (ConnectionLostException)
            {
                for (var j = i + 1; j < messages.Count; j++)
                {
                    messages[j].Return();
                }

                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close();
        _peer.Close();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
    }

    private void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _inbox.Writer.TryComplete();
        }
    }

    private async Task DeliverAsync(IRpcMessageHandler handler)
    {
        Exception reason = new ConnectionLostException($"The connection to the {_peer.Description} was closed.");
        try
        {
            while (await _inbox.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (_inbox.Reader.TryRead(out var message))
                {
                    try
                    {
                        handler.OnMessage(new ReadOnlySequence<byte>(message.WrittenMemory));
                    }
                    finally
                    {
                        message.Return();
                    }
                }
            }
        }
#pragma warning disable CA1031 // A failing handler closes this connection with its exception as the reason.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            reason = new ConnectionLostException($"The connection to the {_peer.Description} was closed: {ex.Message}", ex);
            Close();
            _peer.Close();
        }

        while (_inbox.Reader.TryRead(out var leftover))
        {
            leftover.Return();
        }

        handler.OnClosed(reason);
    }
}
