using System.Buffers;
using Processional.Multiplexing;
using Processional.Transport;

namespace Processional.Rpc;

/// <summary>
/// Carries RPC messages as channel-0 messages of a <see cref="Multiplexer"/>: each message is handled on the
/// connection's reading thread (no thread hop), each is sent on the caller's thread (no pump).
/// </summary>
internal sealed class RpcOverMultiplexer : IRpcTransport, IMessageHandler
{
    private readonly Multiplexer _multiplexer;
    private readonly Func<Exception, Task<Exception>>? _translateCloseReason;
    private readonly Lock _lock = new();
    private Queue<byte[]>? _early = new();
    private IRpcMessageHandler? _handler;

    private RpcOverMultiplexer(Multiplexer multiplexer, Func<Exception, Task<Exception>>? translateCloseReason)
    {
        _multiplexer = multiplexer;
        _translateCloseReason = translateCloseReason;
    }

    public string Description => _multiplexer.Connection?.ToString() ?? _multiplexer.ToString();

    public Multiplexer Multiplexer => _multiplexer;

    /// <summary>Multiplexes <paramref name="connection"/> and runs an RPC connection over its channel 0.</summary>
    /// <param name="connection">A connection that passed the handshake; owned from now on.</param>
    /// <param name="options">The RPC options.</param>
    /// <param name="translateCloseReason">Turns the reason the connection closed into what pending calls fail with (a slave's crash report).</param>
    /// <param name="shared">Named objects shared by every connection of a server.</param>
    /// <param name="multiplexerOptions">Multiplexer options.</param>
    /// <param name="configure">Runs before the first message is handled (exposes what the peer may call at once).</param>
    /// <returns>The RPC connection.</returns>
    public static RpcConnection Start(
        Connection connection,
        RpcConnectionOptions? options,
        Func<Exception, Task<Exception>>? translateCloseReason = null,
        RpcObjectTable? shared = null,
        MultiplexerOptions? multiplexerOptions = null,
        Action<RpcConnection>? configure = null)
    {
        RpcOverMultiplexer? transport = null;
        Multiplexer.Start(connection, m => transport = new RpcOverMultiplexer(m, translateCloseReason), multiplexerOptions);
        return RpcConnection.Start(transport!, options, shared, configure);
    }

    public void Start(IRpcMessageHandler handler)
    {
        lock (_lock)
        {
            // Messages that arrived before the RPC connection was ready are handled first, in order.
            foreach (var message in _early!)
            {
                handler.OnMessage(new ReadOnlySequence<byte>(message));
            }

            _early = null;
            _handler = handler;
        }

        _multiplexer.Completion.ContinueWith(
            static (completion, state) => { _ = ((RpcOverMultiplexer)state!).OnCompletedAsync(completion); },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public void Send(RpcMessageBuffer message)
    {
        try
        {
            _multiplexer.SendMessage(message.WrittenSpan);
        }
        finally
        {
            message.Return();
        }
    }

    public void SendMany(List<RpcMessageBuffer> messages)
    {
        var memories = ArrayPool<ReadOnlyMemory<byte>>.Shared.Rent(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            memories[i] = messages[i].WrittenMemory;
        }

        try
        {
            _multiplexer.SendMessages(memories.AsSpan(0, messages.Count));
        }
        finally
        {
            Array.Clear(memories, 0, messages.Count);
            ArrayPool<ReadOnlyMemory<byte>>.Shared.Return(memories);
            foreach (var message in messages)
            {
                message.Return();
            }
        }
    }

    public ValueTask DisposeAsync() => _multiplexer.DisposeAsync();

    void IMessageHandler.OnMessage(ReadOnlySequence<byte> message)
    {
        var handler = Volatile.Read(ref _handler);
        if (handler is null)
        {
            lock (_lock)
            {
                if (_handler is null)
                {
                    _early!.Enqueue(message.ToArray());
                    return;
                }

                handler = _handler;
            }
        }

        handler.OnMessage(message);
    }

    private async Task OnCompletedAsync(Task completion)
    {
        Exception reason = completion.Exception?.InnerException
            ?? new ConnectionLostException($"The connection to {Description} was closed.");
        if (_translateCloseReason is not null)
        {
            try
            {
                reason = await _translateCloseReason(reason).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The original reason stands when the translation fails.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        _handler!.OnClosed(reason);
    }
}
