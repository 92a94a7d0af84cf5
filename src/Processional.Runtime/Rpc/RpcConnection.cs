using System.Buffers;
using Processional.Serialization;
using Processional.Transport;

namespace Processional.Rpc;

/// <summary>
/// One end of a connection that carries calls to <see cref="RemoteAttribute">[Remote]</see> interfaces in both
/// directions: this side exposes objects (<see cref="Expose{T}(string, T, DispatchPolicy)"/>) and gets proxies of the
/// peer's (<see cref="Get{T}(string?)"/>). Calls are multiplexed over one connection, matched to their responses by id;
/// cancellation, progress, streamed results and objects passed by reference (callbacks) all travel as messages of the
/// same ordered stream.
/// </summary>
public sealed partial class RpcConnection : IAsyncDisposable
{
    private readonly IRpcTransport _transport;
    private readonly RpcConnectionOptions _options;
    private readonly MessageHandler _handler;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The token of incoming calls whose caller passed none: canceled when the connection closes (or when all calls are
    // canceled at once), so that work for a peer that is gone still learns of it.
    private readonly CancellationTokenSource _uncancelableCalls = new();
    private Exception? _closeReason;
    private int _disposed;

    private RpcConnection(IRpcTransport transport, RpcConnectionOptions? options, RpcObjectTable? shared)
    {
        _transport = transport;
        _options = options ?? RpcConnectionOptions.Default;
        _shared = shared;
        _handler = new MessageHandler(this);
        SerializerOptions = _options.Serializer;
    }

    /// <summary>Completes when the connection is closed (by either side, or because the peer is gone).</summary>
    public Task Completion => _completion.Task;

    /// <summary>Why the connection closed, once it did.</summary>
    public Exception? CloseReason => Volatile.Read(ref _closeReason);

    /// <summary>Whether the connection is still open.</summary>
    public bool IsOpen => Volatile.Read(ref _closeReason) is null;

    internal ProcessionalSerializerOptions SerializerOptions { get; }

    internal IRpcTransport Transport => _transport;

    internal int StreamWindow => _options.StreamWindow;

    /// <summary>
    /// Creates two connected ends in this process, for tests and for objects that should be reached through the same
    /// interface whether they live here or elsewhere.
    /// </summary>
    /// <param name="firstOptions">Options of the first end.</param>
    /// <param name="secondOptions">Options of the second end.</param>
    /// <returns>The two ends.</returns>
    public static (RpcConnection First, RpcConnection Second) CreateInProcessPair(RpcConnectionOptions? firstOptions = null, RpcConnectionOptions? secondOptions = null)
    {
        var (a, b) = InMemoryRpcTransport.CreatePair();
        var first = new RpcConnection(a, firstOptions, shared: null);
        var second = new RpcConnection(b, secondOptions, shared: null);
        first.Start();
        second.Start();
        return (first, second);
    }

    /// <summary>
    /// Starts an RPC connection over a connection that passed the handshake (see <see cref="Connection.ConnectAsync"/>
    /// and <see cref="ConnectionListener"/>): calls travel as messages of its channel 0.
    /// </summary>
    /// <param name="connection">The connection; owned by the RPC connection from now on.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <param name="configure">
    /// Runs before the first message from the peer is handled: expose here what the peer may call at once.
    /// </param>
    /// <returns>The running RPC connection.</returns>
    public static RpcConnection Start(Connection connection, RpcConnectionOptions? options = null, Action<RpcConnection>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return RpcOverMultiplexer.Start(connection, options, configure: configure);
    }

    /// <summary>Connects to <paramref name="endpoint"/> (retrying while it is not up yet) and starts an RPC connection over it.</summary>
    /// <param name="endpoint">Where to connect: <c>unix:/path</c> or <c>tcp://host:port</c>.</param>
    /// <param name="connectionOptions">Secret, timeouts; <see langword="null"/> for the defaults.</param>
    /// <param name="options">RPC options.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The running RPC connection.</returns>
    public static async Task<RpcConnection> ConnectAsync(Endpoint endpoint, ConnectionOptions? connectionOptions = null, RpcConnectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        var connection = await Connection.ConnectAsync(endpoint, connectionOptions, cancellationToken).ConfigureAwait(false);
        return Start(connection, options);
    }

    /// <summary>
    /// Starts an RPC connection over <paramref name="transport"/>; <paramref name="configure"/> runs before the first
    /// message is handled (to expose the objects the peer may call at once).
    /// </summary>
    internal static RpcConnection Start(IRpcTransport transport, RpcConnectionOptions? options, RpcObjectTable? shared, Action<RpcConnection>? configure = null)
    {
        var connection = new RpcConnection(transport, options, shared);
        configure?.Invoke(connection);
        connection.Start();
        return connection;
    }

    /// <summary>Closes the connection: pending calls fail with <see cref="ConnectionLostException"/>, calls in progress here are canceled.</summary>
    /// <returns>A task that completes once closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }

        await _completion.Task.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override string ToString() => _options.Name ?? $"RPC connection to {_transport.Description}";

    private void Start() => _transport.Start(_handler);

    private void OnClosed(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is not null)
        {
            return;
        }

        FailAllPending(ClosedException(reason));
        CancelEveryIncoming();   // the producers of streams too: they are reached through their stream slots
        ReleaseAllExports();
        _completion.TrySetResult();
    }

    private void Send(RpcMessageBuffer message)
    {
        if (Volatile.Read(ref _closeReason) is { } reason)
        {
            message.Return();
            throw ClosedException(reason);
        }

        _transport.Send(message);
    }

    /// <summary>
    /// What calls fail with once the connection is closed: the transport's reason when it says what happened (a lost
    /// connection, a crashed slave), else a <see cref="ConnectionLostException"/> wrapping it.
    /// </summary>
    private Exception ClosedException(Exception reason) =>
        reason is ConnectionLostException or ObjectDisposedException
            ? reason
            : new ConnectionLostException($"The {this} is closed: {reason.Message}", reason);

    /// <summary>Sends a message nobody waits for; a lost connection is not an error for it.</summary>
    private void SendQuietly(RpcMessageBuffer message)
    {
        try
        {
            Send(message);
        }
        catch (ConnectionLostException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private ProcessionalWriter<RpcMessageBuffer> BeginMessage(RpcMessageBuffer buffer, RpcMessageType type, ulong id)
    {
        var writer = new ProcessionalWriter<RpcMessageBuffer>(ref buffer.Self, SerializerOptions);
        writer.WriteUnmanaged((byte)type);
        writer.WriteUnmanaged(id);
        return writer;
    }

    /// <summary>Receives the transport's messages; a separate object so that the handler interface stays internal.</summary>
    private sealed class MessageHandler(RpcConnection connection) : IRpcMessageHandler
    {
        public void OnMessage(ReadOnlySequence<byte> message) => connection.OnMessage(message);

        public void OnClosed(Exception reason) => connection.OnClosed(reason);
    }

    private void OnMessage(ReadOnlySequence<byte> message)
    {
        var reader = new ProcessionalReader(message, SerializerOptions);
        var type = (RpcMessageType)reader.ReadByte();
        var id = reader.ReadUInt64();
        switch (type)
        {
            case RpcMessageType.Request:
                OnRequest(id, ref reader, message);
                break;
            case RpcMessageType.Response:
                if (TryTakePending(id, out var answered))
                {
                    answered.OnResponse(ref reader);
                }

                break;
            case RpcMessageType.Error:
                OnError(id, ref reader);
                break;
            case RpcMessageType.Cancel:
                OnCancel(id);
                break;
            case RpcMessageType.Release:
                ReleaseExport(id, reader.ReadUInt32());
                break;
            case RpcMessageType.Progress:
                if (TryFindPending(id, out var reporting))
                {
                    reporting.OnProgress(reader.ReadByte(), ref reader);
                }

                break;
            case RpcMessageType.StreamItem:
                OnStreamItem(id, ref reader);
                break;
            case RpcMessageType.StreamEnd:
                OnStreamEnd(id, ref reader);
                break;
            case RpcMessageType.StreamCredit:
                FindStream(id)?.AddCredit(checked((int)reader.ReadUInt32()));
                break;
            case RpcMessageType.StreamCancel:
                FindStream(id)?.Cancel();
                break;
            default:
                reader.ThrowInvalid($"Unknown RPC message type 0x{(byte)type:x2}");
                break;
        }
    }

    private void OnError(ulong callId, ref ProcessionalReader reader)
    {
        if (!TryTakePending(callId, out var failed))
        {
            return;
        }

        Exception exception;
        try
        {
            exception = RemoteExceptions.Create(reader.ReadValue<RemoteExceptionInfo>()!);
        }
        catch (ProcessionalSerializationException ex)
        {
            exception = new ProcessionalSerializationException($"The error of call {callId} could not be read: {ex.Message}", ex);
        }

        failed.OnFailure(exception);
    }
}
