using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text;
using System.Threading.Channels;
using Processional.Transport;

namespace Processional.Multiplexing;

/// <summary>
/// Carries many independent channels over one connection (docs/protocol.md, "Frames"). Either side opens channels
/// (<see cref="OpenChannel"/>) and accepts the other's (<see cref="AcceptChannelAsync"/>); channel 0,
/// <see cref="RpcChannel"/>, is open from the start on both sides. Each channel has its own flow-control window, so a
/// slow reader stalls only its own channel.
/// </summary>
/// <remarks>
/// <para>
/// The connection ends when the peer goes away (every open channel and waiting reader then fails with a
/// <see cref="ConnectionLostException"/>), when the peer breaks the protocol (<see cref="Completion"/> faults with the
/// <see cref="ProtocolException"/>; channels fail with a <see cref="ConnectionLostException"/> around it), or on
/// <see cref="DisposeAsync"/>. Only that connection is affected.
/// </para>
/// <para>
/// Disposal order (docs/connections.md): stop the heartbeat; queue a GoAway frame; fail every open channel and the
/// accept queue; send what is queued and complete the transport's writer (waiting at most
/// <see cref="MultiplexerOptions.DisposeTimeout"/>); cancel the transport's pending read and dispose the
/// <see cref="Connection"/>; wait for the reading loop (again bounded, so a read that ignores cancellation cannot hang
/// disposal); return the buffers.
/// </para>
/// </remarks>
public sealed partial class Multiplexer : IAsyncDisposable, IDirectReceiver
{
    private readonly IDuplexPipe _transport;
    private readonly Connection? _connection;
    private readonly ConnectionRole _role;
    // Keyed by ulong, guarded by _channelsLock for reads too: the runtime has this instantiation precompiled, a
    // ConcurrentDictionary<uint, …> would cost every process's first connection a few dozen JIT compilations.
    private readonly Dictionary<ulong, MultiplexedChannel> _channels = [];
    private readonly object _channelsLock = new();
    // Made when first needed (the peer opens a channel, or this side waits for one): a connection that only carries
    // messages — a slave's — never loads System.Threading.Channels for it.
    private Channel<MultiplexedChannel>? _accepted;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _readLoop;
    private readonly TaskCompletionSource? _readEnded;
    private readonly IMessageHandler? _messageHandler;
    private readonly MessageWriter _messageWriter;
    private Timer? _keepAlive;
    private long _lastTick;
    private int _silentTicks;
    private uint _nextLocalId;
    private uint _highestRemoteId;
    private int _peerWindow;
    private int _peerMaxPayload = Frame.MinMaxPayload;
    private Exception? _closedBy;

    private Multiplexer(IDuplexPipe transport, ConnectionRole role, Connection? connection, MultiplexerOptions? options, Func<Multiplexer, IMessageHandler>? messageHandler)
    {
        _transport = transport;
        _role = role;
        _connection = connection;
        Options = options ?? MultiplexerOptions.Default;
        Writer = new FrameWriter(transport.Output, Pool, OnWriteFailed);
        _nextLocalId = role == ConnectionRole.Client ? 1u : 2u;
        _lastReceived = Environment.TickCount64;
        _lastTick = _lastReceived;

        // Settings go first, before any other frame of this side.
        Span<byte> settings = stackalloc byte[Frame.SettingsLength];
        BinaryPrimitives.WriteUInt32LittleEndian(settings, (uint)Options.ChannelWindow);
        BinaryPrimitives.WriteUInt32LittleEndian(settings[4..], (uint)Options.MaxFramePayload);
        Writer.Append(FrameType.Settings, 0, settings);

        RpcChannel = new MultiplexedChannel(this, 0, 0);
        _channels[0] = RpcChannel;
        _messageWriter = new MessageWriter(this);

        // Before the first frame is read, so that no message can arrive without its handler.
        _messageHandler = messageHandler?.Invoke(this) ?? (messageHandler is null ? null : throw new InvalidOperationException("The message handler factory returned null."));

        if (Options.KeepAliveInterval is { } interval)
        {
            _keepAlive = new Timer(static state => ((Multiplexer)state!).OnKeepAliveTick(), this, interval, interval);
        }

        Writer.FlushInBackground();

        // Over a socket with a receiving thread of its own, that thread reads the input as the bytes arrive (one wake-up
        // per message, no thread-pool hop, no asynchronous machinery); this side first takes what came before.
        // Over any other transport, an asynchronous reading loop.
        if (transport is SocketTransport socketTransport)
        {
            _socketTransport = socketTransport;
            _readEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _readLoop = _readEnded.Task;
            socketTransport.ReadOnReceivingThread(this);
            ((IDirectReceiver)this).Available();
        }
        else
        {
            _readLoop = Task.Run(ReadLoopAsync);
        }
    }

    /// <summary>The channels the peer opened that wait for <see cref="AcceptChannelAsync"/>; completed with the reason once closed.</summary>
    private Channel<MultiplexedChannel> Accepted
    {
        get
        {
            if (Volatile.Read(ref _accepted) is { } existing)
            {
                return existing;
            }

            var created = Channel.CreateUnbounded<MultiplexedChannel>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = true });
            var accepted = Interlocked.CompareExchange(ref _accepted, created, null) ?? created;

            // Made after the close (which completes the queue it finds): completed here. Either order completes it.
            if (Volatile.Read(ref _closedBy) is { } closedBy)
            {
                accepted.Writer.TryComplete(closedBy);
            }

            return accepted;
        }
    }

    /// <summary>Channel 0, reserved for RPC messages: open on both sides from the start, needing no open or accept.</summary>
    public MultiplexedChannel RpcChannel { get; }

    /// <summary>
    /// Completes when the connection has ended: successfully after <see cref="DisposeAsync"/> or a peer's orderly
    /// close; faulted with a <see cref="ConnectionLostException"/> when the peer went away, or a
    /// <see cref="ProtocolException"/> when it broke the protocol.
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>This side's role, which decides its channel ids (client odd, server even).</summary>
    public ConnectionRole Role => _role;

    /// <summary>The connection carried, when the multiplexer was started on one.</summary>
    public Connection? Connection => _connection;

    internal MultiplexerOptions Options { get; }

    internal BufferPool Pool { get; } = new();

    internal FrameWriter Writer { get; }

    /// <summary>The largest Data payload to send: the smaller of the peer's and this side's limit.</summary>
    internal int MaxSendPayload => Math.Min(Volatile.Read(ref _peerMaxPayload), Options.MaxFramePayload);

    /// <summary>Channels in the table, channel 0 included while open.</summary>
    internal int ChannelCount
    {
        get
        {
            lock (_channelsLock)
            {
                return _channels.Count;
            }
        }
    }

    /// <summary>Buffers taken from the pool and not given back (tests check it drops to 0 after disposal).</summary>
    internal long OutstandingBuffers => Pool.Outstanding;

    /// <summary>Starts multiplexing over a connection that passed the handshake; disposing the multiplexer disposes it.</summary>
    /// <param name="connection">The connection; the multiplexer owns it from now on.</param>
    /// <param name="options">Window, frame size, channel limit, heartbeat; <see langword="null"/> for the defaults.</param>
    /// <returns>The running multiplexer.</returns>
    public static Multiplexer Start(Connection connection, MultiplexerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new Multiplexer(connection.Transport, connection.Role, connection, options, null);
    }

    /// <summary>
    /// Starts multiplexing over a connection, with channel 0 in message mode: each message the peer sends
    /// (<see cref="SendMessage"/>, <see cref="BeginMessage"/>) goes to the handler, on the connection's reading thread.
    /// </summary>
    /// <param name="connection">The connection; the multiplexer owns it from now on.</param>
    /// <param name="messageHandler">
    /// Makes the handler, given the new multiplexer (to reply through); called once, before anything is read.
    /// </param>
    /// <param name="options">Window, frame size, limits, heartbeat; <see langword="null"/> for the defaults.</param>
    /// <returns>The running multiplexer.</returns>
    public static Multiplexer Start(Connection connection, Func<Multiplexer, IMessageHandler> messageHandler, MultiplexerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(messageHandler);
        return new Multiplexer(connection.Transport, connection.Role, connection, options, messageHandler);
    }

    /// <summary>Starts multiplexing over any duplex byte stream, for example one side of an in-memory pipe pair.</summary>
    /// <param name="transport">The byte stream; the multiplexer completes its reader and writer when it ends.</param>
    /// <param name="role">This side's role; the other side must have the other one.</param>
    /// <param name="options">Window, frame size, channel limit, heartbeat; <see langword="null"/> for the defaults.</param>
    /// <returns>The running multiplexer.</returns>
    public static Multiplexer Start(IDuplexPipe transport, ConnectionRole role, MultiplexerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return new Multiplexer(transport, role, null, options, null);
    }

    /// <summary>Starts multiplexing over any duplex byte stream, with channel 0 in message mode.</summary>
    /// <param name="transport">The byte stream; the multiplexer completes its reader and writer when it ends.</param>
    /// <param name="role">This side's role; the other side must have the other one.</param>
    /// <param name="messageHandler">Makes the handler, given the new multiplexer; called once, before anything is read.</param>
    /// <param name="options">Window, frame size, limits, heartbeat; <see langword="null"/> for the defaults.</param>
    /// <returns>The running multiplexer.</returns>
    public static Multiplexer Start(IDuplexPipe transport, ConnectionRole role, Func<Multiplexer, IMessageHandler> messageHandler, MultiplexerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(messageHandler);
        return new Multiplexer(transport, role, null, options, messageHandler);
    }

    /// <summary>
    /// Sends one message on channel 0 (message mode): header and bytes are appended to the frame buffer and go to the
    /// socket now, on this thread, unless another write is in progress (then that writer sends them next). It never
    /// waits: not for a flow-control window (messages have none), nor for a full socket (the rest is handed to a
    /// sending thread). Messages arrive whole and in order at the peer's <see cref="IMessageHandler"/>; one larger
    /// than a frame is sent in parts.
    /// </summary>
    /// <param name="message">The message; copied before the method returns.</param>
    /// <exception cref="ConnectionLostException">The connection has ended.</exception>
    /// <exception cref="ObjectDisposedException">The multiplexer was disposed.</exception>
    public void SendMessage(ReadOnlySpan<byte> message)
    {
        ThrowIfClosed();
        if (!Writer.AppendMessage(message, MaxSendPayload, out var flush))
        {
            ThrowSendingStopped();
        }

        if (flush)
        {
            Writer.FlushInBackground();
        }
    }

    /// <summary>
    /// Sends several messages as <see cref="SendMessage"/> does, but with at most one socket write for all of them (the
    /// RPC layer's replies to a burst of pipelined calls).
    /// </summary>
    internal void SendMessages(ReadOnlySpan<ReadOnlyMemory<byte>> messages)
    {
        ThrowIfClosed();
        var flush = false;
        foreach (var message in messages)
        {
            if (!Writer.AppendMessage(message.Span, MaxSendPayload, out var claimed))
            {
                ThrowSendingStopped();
            }

            flush |= claimed;
        }

        if (flush)
        {
            Writer.FlushInBackground();
        }
    }

    /// <summary>
    /// Begins a message on channel 0 (message mode) written in place: write its bytes into the returned
    /// <see cref="MessageWriter"/> (an <see cref="System.Buffers.IBufferWriter{T}"/> over the frame buffer), then
    /// <see cref="MessageWriter.Send"/>. Until then every other sender of this connection waits: write the message at
    /// once, on this thread.
    /// </summary>
    /// <returns>The connection's message writer, ready for this message.</returns>
    /// <exception cref="InvalidOperationException">This thread is already writing a message.</exception>
    /// <exception cref="ConnectionLostException">The connection has ended.</exception>
    /// <exception cref="ObjectDisposedException">The multiplexer was disposed.</exception>
    public MessageWriter BeginMessage()
    {
        ThrowIfClosed();
        if (!Writer.BeginMessage(MaxSendPayload))
        {
            ThrowSendingStopped();
        }

        _messageWriter.Activate();
        return _messageWriter;
    }

    /// <summary>
    /// Opens a channel. The peer learns of it with the first frame and accepts it with <see cref="AcceptChannelAsync"/>;
    /// data can be written at once (it flows as soon as the peer's window is known).
    /// </summary>
    /// <returns>The new channel.</returns>
    /// <exception cref="InvalidOperationException"><see cref="MultiplexerOptions.MaxChannels"/> channels are open.</exception>
    /// <exception cref="ConnectionLostException">The connection has ended.</exception>
    /// <exception cref="ObjectDisposedException">The multiplexer was disposed.</exception>
    public MultiplexedChannel OpenChannel()
    {
        MultiplexedChannel channel;
        bool flush;
        lock (_channelsLock)
        {
            ThrowIfClosed();
            if (_channels.Count >= Options.MaxChannels)
            {
                throw new InvalidOperationException($"{Options.MaxChannels} channels are open on this connection; close some first (MultiplexerOptions.MaxChannels).");
            }

            if (_nextLocalId > uint.MaxValue - 2)
            {
                throw new InvalidOperationException("This connection has used up its channel ids; open a new connection.");
            }

            var id = _nextLocalId;
            _nextLocalId += 2;
            channel = new MultiplexedChannel(this, id, _peerWindow);
            _channels[id] = channel;

            // Appended under the table's lock, so that Open frames leave in increasing id order, as the peer requires.
            flush = Writer.Append(FrameType.Open, id, []);
        }

        if (flush)
        {
            Writer.FlushInBackground();
        }

        return channel;
    }

    /// <summary>Waits for the next channel the peer opens.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The channel, ready for reading and writing.</returns>
    /// <exception cref="ConnectionLostException">The connection has ended.</exception>
    /// <exception cref="ObjectDisposedException">The multiplexer was disposed.</exception>
    public async ValueTask<MultiplexedChannel> AcceptChannelAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await Accepted.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            ThrowIfClosed();
            throw;
        }
    }

    /// <summary>
    /// Closes the connection in the order written in the remarks: the peer is told (GoAway), every open channel and
    /// waiting reader here fails with an <see cref="ObjectDisposedException"/>, the transport is closed. Never waits
    /// longer than about twice <see cref="MultiplexerOptions.DisposeTimeout"/>, even if the transport ignores
    /// cancellation.
    /// </summary>
    /// <returns>A task that completes when the connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        Terminate(new ObjectDisposedException(ToString()), null, Frame.GoAwayNormal, "The peer disposed the connection.");
        await _shutdown.Task.ConfigureAwait(false);
        try
        {
            await _readLoop.WaitAsync(Options.DisposeTimeout).ConfigureAwait(false);
            if (_socketTransport is not null)
            {
                // A payload it was receiving straight into a channel's buffer is given back when it ends.
                await _socketTransport.ReceiverEnded.WaitAsync(Options.DisposeTimeout).ConfigureAwait(false);
            }
        }
        catch (TimeoutException)
        {
            // The transport's read ignores cancellation: leave the loop behind; it stops when the read returns.
        }
#pragma warning disable CA1031 // The loop reports its failures through Completion; disposal itself never throws them.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <inheritdoc/>
    public override string ToString() => _connection is null ? $"multiplexer ({_role})" : $"multiplexer over {_connection}";

    internal void SendWindowUpdate(uint channel, long increment)
    {
        if (Writer.Append(FrameType.WindowUpdate, channel, (uint)increment))
        {
            Writer.FlushInBackground();
        }
    }

    private bool TryGetChannel(uint id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MultiplexedChannel? channel)
    {
        lock (_channelsLock)
        {
            return _channels.TryGetValue(id, out channel);
        }
    }

    internal void RemoveChannel(MultiplexedChannel channel)
    {
        lock (_channelsLock)
        {
            if (_channels.TryGetValue(channel.Id, out var current) && ReferenceEquals(current, channel))
            {
                _channels.Remove(channel.Id);
            }
        }
    }

    /// <summary>
    /// Ends the connection once: fails the channels with <paramref name="channelException"/>, completes
    /// <see cref="Completion"/> (with <paramref name="completionException"/> when not null), tells the peer why, and
    /// shuts the transport down in the background.
    /// </summary>
    private void Terminate(Exception channelException, Exception? completionException, byte goAwayCode, string? goAwayReason)
    {
        if (Interlocked.CompareExchange(ref _closedBy, channelException, null) is not null)
        {
            return;
        }

        Interlocked.Exchange(ref _keepAlive, null)?.Dispose();

        if (goAwayReason is not null)
        {
            var reason = MultiplexedChannel.EncodeMessage(goAwayReason);
            var payload = new byte[1 + reason.Length];
            payload[0] = goAwayCode;
            reason.CopyTo(payload, 1);
            if (Writer.Append(FrameType.GoAway, 0, payload))
            {
                Writer.FlushInBackground();
            }
        }

        MultiplexedChannel[] open;
        lock (_channelsLock)
        {
            open = [.. _channels.Values];
            _channels.Clear();
        }

        foreach (var channel in open)
        {
            channel.Abort(channelException);
        }

        var accepted = Volatile.Read(ref _accepted);
        accepted?.Writer.TryComplete(channelException);
        while (accepted is not null && accepted.Reader.TryRead(out var unclaimed))
        {
            unclaimed.Abandon(channelException);
        }

        if (completionException is null)
        {
            _completion.TrySetResult();
        }
        else if (_completion.TrySetException(completionException))
        {
            _ = _completion.Task.Exception;
        }

        _ = ShutDownTransportAsync();
    }

    private async Task ShutDownTransportAsync()
    {
        try
        {
            await Writer.CloseAsync(Options.DisposeTimeout).ConfigureAwait(false);
            _transport.Input.CancelPendingRead();
            if (_readEnded is not null)
            {
                // The receiving thread reads only when bytes arrive: see the cancellation now.
                ((IDirectReceiver)this).Available();
            }

            if (_connection is not null)
            {
                await _connection.DisposeAsync().ConfigureAwait(false);
            }

            Writer.ReleaseBuffers();
        }
#pragma warning disable CA1031 // Shutting down a broken transport may throw anything; the connection is over either way.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            _shutdown.TrySetResult();
        }
    }

    private void OnWriteFailed(Exception exception)
    {
        // A peer that closed its end makes our next write fail, yet what it sent before closing may still wait in
        // the socket: let the reading loop deliver it and see the end itself, and only then (or after a grace
        // period, for a transport whose read never ends) call the connection lost.
        _ = TerminateAfterReadingAsync(new ConnectionLostException($"Sending to the peer failed: {exception.Message}", exception));
    }

    private async Task TerminateAfterReadingAsync(ConnectionLostException lost)
    {
        try
        {
            await _readLoop.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        Terminate(lost, lost, 0, null);
    }

    private void OnKeepAliveTick()
    {
        if (Volatile.Read(ref _closedBy) is not null)
        {
            return;
        }

        // Silence counts only in ticks that come one interval after the previous and found nothing new. After this
        // process stalled (a long GC, a starved thread pool) ticks come late, then bunched, while the peer's frames
        // wait unread in the socket: the peer is not to blame for that.
        var now = Environment.TickCount64;
        var lastReceived = Volatile.Read(ref _lastReceived);
        var elapsed = now - _lastTick;
        var interval = (long)Options.KeepAliveInterval!.Value.TotalMilliseconds;
        if (lastReceived > _lastTick || elapsed > 2 * interval)
        {
            _silentTicks = 0;
        }
        else if (elapsed >= interval / 2)
        {
            _silentTicks++;
        }

        _lastTick = now;
        var silence = TimeSpan.FromMilliseconds(now - lastReceived);
        var timeout = Options.EffectiveKeepAliveTimeout;
        if (silence > timeout && _silentTicks * Options.KeepAliveInterval.Value >= timeout)
        {
            var lost = new ConnectionLostException($"The peer sent nothing for {silence.TotalSeconds:0.#} s, longer than the keep-alive timeout of {timeout.TotalSeconds:0.#} s.");
            Terminate(lost, lost, Frame.GoAwayError, "No answer to heartbeats.");
            return;
        }

        Span<byte> ping = stackalloc byte[Frame.PingLength];
        BinaryPrimitives.WriteInt64LittleEndian(ping, now);
        if (Writer.Append(FrameType.Ping, 0, ping))
        {
            Writer.FlushInBackground();
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowSendingStopped()
    {
        ThrowIfClosed();

        // The frame writer stopped after a failed write; the connection is being closed.
        throw new ConnectionLostException("Sending to the peer failed; the connection is closing.");
    }

    private void ThrowIfClosed()
    {
        var closedBy = Volatile.Read(ref _closedBy);
        if (closedBy is null)
        {
            return;
        }

        throw closedBy switch
        {
            ObjectDisposedException => new ObjectDisposedException(ToString()),
            _ => new ConnectionLostException(closedBy.Message, closedBy.InnerException),
        };
    }

    private static string DecodeMessage(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
