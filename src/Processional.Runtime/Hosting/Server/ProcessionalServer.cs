using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Processional.Rpc;
using Processional.Transport;

namespace Processional;

/// <summary>
/// Serves [Remote] objects from this process to many clients at once, over a Unix socket or TCP (with a shared secret,
/// and optionally TLS): the Python original's <c>serve</c>. Clients connect with
/// <see cref="SlaveProcess.ConnectAsync(string, ConnectionOptions?, CancellationToken)"/> and get proxies with
/// <see cref="SlaveProcess.Get{T}(string?)"/>.
/// </summary>
/// <remarks>
/// <para>
/// Objects exposed with <see cref="Expose{T}(string, T, DispatchPolicy)"/> are shared by every client; calls from all
/// clients to an object exposed with <see cref="DispatchPolicy.Ordered"/> run one at a time, in arrival order. What a
/// client's calls create on the fly (objects returned by reference, callbacks, wrapped values) belongs to that client
/// and is released when it disconnects. Each client has a connection of its own: one that sends garbage, fails
/// authentication, stalls or vanishes is closed (and logged) without disturbing the others.
/// </para>
/// <para>
/// Clients running the same program may send lambdas when <see cref="ProcessionalServerOptions.AllowLambdas"/> allows
/// it; they run one at a time on a thread of the server's, in the order received.
/// </para>
/// </remarks>
public sealed class ProcessionalServer : IAsyncDisposable
{
    private readonly ConnectionListener _listener;
    private readonly RpcObjectTable _shared = new();
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly HashSet<RpcConnection> _clients = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstClient = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SlaveThread? _ownLambdaThread;
    private readonly Lazy<SlaveThread> _lambdaThread;
    private readonly Task _acceptLoop;
    private long _nextClient;
    private bool _stopped;

    private ProcessionalServer(ConnectionListener listener, ProcessionalServerOptions options, SlaveThread? lambdaThread)
    {
        _listener = listener;
        Options = options;
        _logger = options.Logger ?? NullLogger.Instance;
        _lambdaThread = lambdaThread is not null
            ? new Lazy<SlaveThread>(lambdaThread)
            : new Lazy<SlaveThread>(() => new SlaveThread($"server on {listener.LocalEndpoint}: lambdas"));
        _ownLambdaThread = lambdaThread;
        _listener.HandshakeFailed += OnHandshakeFailed;
        ServerLog.Listening(_logger, Endpoint.ToString());
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The endpoint served; for <c>tcp://host:0</c> it carries the port the system picked.</summary>
    public Endpoint Endpoint => _listener.LocalEndpoint;

    /// <summary>The options the server runs with.</summary>
    public ProcessionalServerOptions Options { get; }

    /// <summary>How many clients are connected.</summary>
    public int ClientCount
    {
        get
        {
            lock (_lock)
            {
                return _clients.Count;
            }
        }
    }

    /// <summary>The connections of the clients connected now (to call back objects a client exposes, or to look at what it holds).</summary>
    public IReadOnlyList<RpcConnection> Clients
    {
        get
        {
            lock (_lock)
            {
                return [.. _clients];
            }
        }
    }

    /// <summary>Completes once the server has stopped: by <see cref="StopAsync"/>, a client's stop, or its last client leaving.</summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// In a server process started by <see cref="SlaveProcess.StartServerAsync(string, ServerProcessOptions?, CancellationToken)"/>,
    /// the server it runs (a lambda sent by a client can expose objects on it); <see langword="null"/> in any other process.
    /// </summary>
    public static ProcessionalServer? Current { get; internal set; }

    /// <summary>Completes when the first client has connected.</summary>
    internal Task FirstClient => _firstClient.Task;

    /// <summary>Starts serving on <paramref name="endpoint"/>.</summary>
    /// <param name="endpoint"><c>unix:/path.sock</c> or <c>tcp://host:port</c> (port 0 for any free port).</param>
    /// <param name="options">Secret, TLS, lambdas, lifetime, logging; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels resolving the host name.</param>
    /// <returns>The server, accepting clients.</returns>
    /// <exception cref="ArgumentException">A TCP endpoint without a secret (or TLS requiring client certificates).</exception>
    /// <exception cref="IOException">The address is in use, or the Unix socket path is served by a live listener or is not a socket.</exception>
    public static Task<ProcessionalServer> ListenAsync(string endpoint, ProcessionalServerOptions? options = null, CancellationToken cancellationToken = default) =>
        ListenAsync(Endpoint.Parse(endpoint), options, cancellationToken);

    /// <summary>Starts serving on <paramref name="endpoint"/>.</summary>
    /// <param name="endpoint">Where to listen.</param>
    /// <param name="options">Secret, TLS, lambdas, lifetime, logging; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels resolving the host name.</param>
    /// <returns>The server, accepting clients.</returns>
    /// <exception cref="ArgumentException">A TCP endpoint without a secret (or TLS requiring client certificates).</exception>
    /// <exception cref="IOException">The address is in use, or the Unix socket path is served by a live listener or is not a socket.</exception>
    public static Task<ProcessionalServer> ListenAsync(Endpoint endpoint, ProcessionalServerOptions? options = null, CancellationToken cancellationToken = default) =>
        ListenAsync(endpoint, options, lambdaThread: null, cancellationToken);

    internal static async Task<ProcessionalServer> ListenAsync(Endpoint endpoint, ProcessionalServerOptions? options, SlaveThread? lambdaThread, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= ProcessionalServerOptions.Default;
        var listener = await ConnectionListener.ListenAsync(endpoint, options.Connection, cancellationToken).ConfigureAwait(false);
        return new ProcessionalServer(listener, options, lambdaThread);
    }

    /// <summary>Exposes <paramref name="implementation"/> to every client under the default name of <typeparamref name="T"/> (its full name).</summary>
    /// <typeparam name="T">A [Remote] interface, or a class implementing [Remote] interfaces.</typeparam>
    /// <param name="implementation">The object.</param>
    /// <param name="policy">How its calls are scheduled; <see cref="DispatchPolicy.Ordered"/> (one at a time, across all clients) by default.</param>
    public void Expose<T>(T implementation, DispatchPolicy policy = DispatchPolicy.Ordered)
        where T : class => Expose(RpcObjectIds.DefaultName(typeof(T)), implementation, policy);

    /// <summary>Exposes <paramref name="implementation"/> to every client, connected now or later, under <paramref name="name"/>.</summary>
    /// <typeparam name="T">A [Remote] interface, or a class implementing [Remote] interfaces (all of which are exposed).</typeparam>
    /// <param name="name">The name clients ask for with <see cref="SlaveProcess.Get{T}(string?)"/>; names beginning with <c>processional.</c> are reserved.</param>
    /// <param name="implementation">The object.</param>
    /// <param name="policy">
    /// How its calls are scheduled: <see cref="DispatchPolicy.Ordered"/> (the default) runs them one at a time in arrival
    /// order, whichever client sent them, so the object needs no locks; <see cref="DispatchPolicy.Concurrent"/> runs them
    /// at once, and the object must be thread-safe.
    /// </param>
    /// <exception cref="ArgumentException">The object implements no [Remote] interface, or the name is reserved.</exception>
    /// <exception cref="InvalidOperationException">The name is taken.</exception>
    public void Expose<T>(string name, T implementation, DispatchPolicy policy = DispatchPolicy.Ordered)
        where T : class
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(implementation);
        if (name.StartsWith(ServerControl.ReservedPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Names beginning with '{ServerControl.ReservedPrefix}' are reserved for the runtime's own objects: '{name}'.", nameof(name));
        }

        _shared.ExposeNamed(name, implementation, RpcConnection.InterfacesOf(typeof(T), implementation), policy);
    }

    /// <summary>Stops exposing the object named <paramref name="name"/>; later calls to it, from any client, fail.</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when an object was exposed under that name.</returns>
    public bool Unexpose(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return !name.StartsWith(ServerControl.ReservedPrefix, StringComparison.Ordinal) && _shared.Remove(name);
    }

    /// <summary>
    /// Stops the server: stops accepting, closes every client's connection (their pending calls fail with a
    /// <see cref="ConnectionLostException"/>; calls running here are canceled) and removes the Unix socket file.
    /// </summary>
    /// <returns>A task that completes once stopped.</returns>
    public async Task StopAsync()
    {
        RpcConnection[]? clients = null;
        lock (_lock)
        {
            if (!_stopped)
            {
                _stopped = true;
                clients = [.. _clients];
            }
        }

        if (clients is null)
        {
            await _completion.Task.ConfigureAwait(false);
            return;
        }

        try
        {
            ServerLog.Stopping(_logger, Endpoint.ToString());
            await _stopping.CancelAsync().ConfigureAwait(false);
            await _listener.DisposeAsync().ConfigureAwait(false);
            await _acceptLoop.ConfigureAwait(false);
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
            if (_ownLambdaThread is null && _lambdaThread.IsValueCreated)
            {
                _lambdaThread.Value.RequestStopInternal();
            }
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    /// <summary>Stops the server; see <see cref="StopAsync"/>.</summary>
    /// <returns>A task that completes once stopped.</returns>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <inheritdoc/>
    public override string ToString() => $"server on {Endpoint}";

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Connection connection;
            try
            {
                connection = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
#pragma warning disable CA1031 // The listener itself failed: report it and stop.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ServerLog.ListenerFailed(_logger, Endpoint.ToString(), ex);
                _ = Task.Run(StopAsync);
                return;
            }

            try
            {
                Accept(connection);
            }
#pragma warning disable CA1031 // One client that cannot be set up must not stop the server.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ServerLog.ClientFailed(_logger, 0, ex.Message, ClientCount, ex);
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private void Accept(Connection connection)
    {
        var id = Interlocked.Increment(ref _nextClient);
        var refusal = LambdaRefusal(connection);
        var rpc = RpcOverMultiplexer.Start(
            connection,
            new RpcConnectionOptions { Name = $"client {id} of the {this}" },
            shared: _shared,
            configure: rpc =>
            {
                ServerControl.Expose(rpc, this);
                if (refusal is null)
                {
                    var thread = _lambdaThread.Value;
                    SlaveDispatcher.ExposeForServer(rpc, thread);
                    rpc.DefaultExecutor = work => thread.TryPost(work);
                }
                else
                {
                    ServerControl.RefuseLambdas(rpc, refusal);
                }
            });

        int count;
        lock (_lock)
        {
            if (_stopped)
            {
                count = -1;
            }
            else
            {
                _clients.Add(rpc);
                count = _clients.Count;
            }
        }

        if (count < 0)
        {
            _ = rpc.DisposeAsync().AsTask();
            return;
        }

        ServerLog.ClientConnected(_logger, id, connection.RemoteIdentity.ProcessId, refusal is null ? "allowed" : "refused", count);
        _firstClient.TrySetResult();
        rpc.Completion.ContinueWith(
            static (_, state) =>
            {
                var (server, rpc, id) = ((ProcessionalServer, RpcConnection, long))state!;
                server.OnClientGone(rpc, id);
            },
            (this, rpc, id),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Why <paramref name="connection"/>'s client may not send lambdas; <see langword="null"/> when it may.</summary>
    private string? LambdaRefusal(Connection connection)
    {
        var allowed = Options.AllowLambdas ?? Endpoint.Kind == EndpointKind.Unix;
        if (!allowed)
        {
            return $"The {this} does not run lambdas from its clients (ProcessionalServerOptions.AllowLambdas is " +
                (Options.AllowLambdas is null ? "not set, and lambdas are off by default over TCP" : "off") +
                "); call the [Remote] objects it exposes instead.";
        }

        if (!connection.RemoteIdentity.Program.Equals(ProgramIdentity.Current))
        {
            return $"The {this} runs lambdas only from clients running the same program (the same module version ids); this client runs another.";
        }

        return null;
    }

    private void OnClientGone(RpcConnection rpc, long id)
    {
        int count;
        bool last;
        lock (_lock)
        {
            _clients.Remove(rpc);
            count = _clients.Count;
            last = count == 0 && !_stopped;
        }

        if (rpc.CloseReason is ConnectionLostException or ObjectDisposedException or null)
        {
            ServerLog.ClientDisconnected(_logger, id, count);
        }
        else
        {
            ServerLog.ClientFailed(_logger, id, rpc.CloseReason.Message, count, rpc.CloseReason);
        }

        if (last && Options.StopWhenLastClientDisconnects)
        {
            _ = Task.Run(StopAsync);
        }
    }

    private void OnHandshakeFailed(object? sender, HandshakeFailedEventArgs e) =>
        ServerLog.HandshakeFailed(_logger, e.RemoteAddress ?? "a client", e.Exception.Message, e.Exception);
}
