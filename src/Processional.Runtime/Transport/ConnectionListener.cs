using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Processional.Transport;

/// <summary>
/// Listens on an endpoint and accepts many connections, each after a successful handshake. Handshakes run
/// concurrently in the background: one that stalls or fails delays nobody else, and is reported through
/// <see cref="HandshakeFailed"/> while the listener keeps serving.
/// </summary>
/// <remarks>
/// A Unix socket file is made owner-only (0600) before the socket starts listening, and removed when the listener is
/// disposed. A socket file left by a dead listener is replaced; one with a live listener behind it, or a path that is
/// not a socket, is refused with an <see cref="IOException"/>.
/// </remarks>
public sealed class ConnectionListener : IAsyncDisposable
{
    /// <summary>How many handshakes may run at once; further connections wait in the kernel's backlog.</summary>
    internal const int MaxConcurrentHandshakes = 128;

    private const int AcceptedQueueCapacity = 128;

    private readonly Socket _socket;
    private readonly ConnectionOptions _options;
    private readonly Channel<Connection> _accepted = Channel.CreateBounded<Connection>(new BoundedChannelOptions(AcceptedQueueCapacity) { SingleWriter = false });
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _handshakeSlots = new(MaxConcurrentHandshakes);
    private readonly Task _acceptLoop;
    private readonly ulong? _socketFileInode;
    private int _pendingHandshakes;
    private int _disposed;

    private ConnectionListener(Socket socket, Endpoint localEndpoint, ConnectionOptions options, ulong? socketFileInode)
    {
        _socket = socket;
        LocalEndpoint = localEndpoint;
        _options = options;
        _socketFileInode = socketFileInode;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>
    /// Reports every connection refused because its handshake failed (wrong or missing secret, another protocol
    /// version, a stall, a stranger). Raised on a thread-pool thread; the listener goes on serving others.
    /// </summary>
    public event EventHandler<HandshakeFailedEventArgs>? HandshakeFailed;

    /// <summary>The endpoint listened on; for <c>tcp://host:0</c> it carries the port the system picked.</summary>
    public Endpoint LocalEndpoint { get; }

    /// <summary>How many handshakes are in progress.</summary>
    internal int PendingHandshakes => Volatile.Read(ref _pendingHandshakes);

    /// <summary>Starts listening on <paramref name="endpoint"/>.</summary>
    /// <param name="endpoint">Where to listen: <c>unix:/path</c> or <c>tcp://host:port</c> (port 0 for any free port).</param>
    /// <param name="options">Secret (required for TCP), handshake timeout, identity; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels resolving the host name.</param>
    /// <returns>The listener, accepting.</returns>
    /// <exception cref="IOException">The Unix socket path is served by a live listener, or is not a socket; or the address is in use.</exception>
    /// <exception cref="ArgumentException">A TCP endpoint without a secret.</exception>
    /// <exception cref="PlatformNotSupportedException">A <c>pipe:</c> endpoint.</exception>
    public static async Task<ConnectionListener> ListenAsync(Endpoint endpoint, ConnectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= ConnectionOptions.Default;
        Connection.CheckSupported(endpoint, options);
        return endpoint.Kind == EndpointKind.Unix
            ? await ListenUnixAsync(endpoint, options, cancellationToken).ConfigureAwait(false)
            : await ListenTcpAsync(endpoint, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the next connection whose handshake succeeded.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The connection; the caller owns it.</returns>
    /// <exception cref="ObjectDisposedException">The listener was disposed.</exception>
    public async ValueTask<Connection> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _accepted.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException ex)
        {
            throw ex.InnerException is { } inner and not ObjectDisposedException
                ? new IOException($"The listener on {LocalEndpoint} failed: {inner.Message}", inner)
                : new ObjectDisposedException(ToString());
        }
    }

    /// <summary>
    /// Stops listening: closes the listening socket, removes the Unix socket file, cancels the handshakes in progress,
    /// and closes the connections accepted but not yet taken by <see cref="AcceptAsync"/>. Connections already taken
    /// are not affected.
    /// </summary>
    /// <returns>A task that completes when all of that is done.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        RemoveSocketFile();
        await _acceptLoop.ConfigureAwait(false);

        // Handshakes in progress see the cancellation; wait until each has given its slot back.
        for (var i = 0; i < MaxConcurrentHandshakes; i++)
        {
            await _handshakeSlots.WaitAsync().ConfigureAwait(false);
        }

        _accepted.Writer.TryComplete(new ObjectDisposedException(ToString()));
        while (_accepted.Reader.TryRead(out var unclaimed))
        {
            await unclaimed.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
        _handshakeSlots.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"listener on {LocalEndpoint}";

    private static async Task<ConnectionListener> ListenUnixAsync(Endpoint endpoint, ConnectionOptions options, CancellationToken cancellationToken)
    {
        var path = endpoint.Address;
        await RemoveStaleSocketFileAsync(endpoint, cancellationToken).ConfigureAwait(false);

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(endpoint.ToUnixEndPoint());

            // The file is made owner-only before listen(): until then nobody can connect, so the umask never matters.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            socket.Listen(512);
            return new ConnectionListener(socket, endpoint, options, UnixSocketFile.Stat(path)?.Inode);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new IOException($"Cannot listen on {endpoint}: the path is already in use by another listener.", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task RemoveStaleSocketFileAsync(Endpoint endpoint, CancellationToken cancellationToken)
    {
        var path = endpoint.Address;
        var stat = UnixSocketFile.Stat(path);
        if (stat is null && !File.Exists(path))
        {
            if (Directory.Exists(path))
            {
                throw new IOException($"Cannot listen on {endpoint}: the path is a directory.");
            }

            return;
        }

        if (stat is { IsSocket: false })
        {
            throw new IOException($"Cannot listen on {endpoint}: the path exists and is not a socket; it is left alone.");
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await probe.ConnectAsync(endpoint.ToUnixEndPoint(), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            // Nobody listens behind the file: a listener died without removing it.
            File.Delete(path);
            return;
        }

        throw new IOException($"Cannot listen on {endpoint}: another listener is live on that path.");
    }

    private static async Task<ConnectionListener> ListenTcpAsync(Endpoint endpoint, ConnectionOptions options, CancellationToken cancellationToken)
    {
        var addresses = await Connection.ResolveAsync(endpoint, cancellationToken).ConfigureAwait(false);
        var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, endpoint.Port));
            socket.Listen(512);
            var bound = (IPEndPoint)socket.LocalEndPoint!;
            var local = IPAddress.TryParse(endpoint.Address, out _) ? Endpoint.Tcp(bound) : Endpoint.Tcp(endpoint.Address, bound.Port);
            return new ConnectionListener(socket, local, options, null);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new IOException($"Cannot listen on {endpoint}: {ex.Message}", ex);
        }
    }

    private async Task AcceptLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _handshakeSlots.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Socket socket;
            try
            {
                socket = await _socket.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || token.IsCancellationRequested)
            {
                _handshakeSlots.Release();
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset or SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
            {
                // A client that gave up before it was accepted, or a passing shortage: keep serving.
                _handshakeSlots.Release();
                ReportFailure(ex, null);
                await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
                continue;
            }
            catch (SocketException ex)
            {
                _handshakeSlots.Release();
                _accepted.Writer.TryComplete(ex);
                return;
            }

            Interlocked.Increment(ref _pendingHandshakes);
            _ = Task.Run(() => HandshakeAsync(socket, token), CancellationToken.None);
        }
    }

    private async Task HandshakeAsync(Socket socket, CancellationToken token)
    {
        IDuplexPipe? transport = null;
        string? remote = null;
        try
        {
            remote = socket.RemoteEndPoint?.ToString();
            var kernelProcessId = PeerCredentials.VerifyBeforeHandshake(socket, _options, "the client");

            transport = LocalEndpoint.Kind == EndpointKind.Tcp && _options.HasServerTls
                ? await AuthenticateTlsAsync(socket, remote, token).ConfigureAwait(false)
                : Connection.CreateTransport(socket, _options);
            var handshake = await Handshake.RunAsync(transport, ConnectionRole.Server, _options, "the client" + (string.IsNullOrEmpty(remote) ? string.Empty : " " + remote), token).ConfigureAwait(false);
            handshake = PeerCredentials.ConfirmAfterHandshake(handshake, kernelProcessId, "the client");

            var connection = new Connection(transport, ConnectionRole.Server, LocalEndpoint, handshake, (IAsyncDisposable)transport);
            try
            {
                await _accepted.Writer.WriteAsync(connection, token).ConfigureAwait(false);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
#pragma warning disable CA1031 // A failed handshake is the client's problem: report it, close it, keep serving.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (transport is not null)
            {
                await ((IAsyncDisposable)transport).DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                // No transport owns the socket yet (TLS closes it itself when it fails).
                socket.Dispose();
            }

            if (!token.IsCancellationRequested)
            {
                ReportFailure(ex, remote);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _pendingHandshakes);
            _handshakeSlots.Release();
        }
    }

    // Reached only for TLS, so that compiling the accept path does not load System.Net.Security (and OpenSSL).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private async Task<IDuplexPipe> AuthenticateTlsAsync(Socket socket, string? remote, CancellationToken token) =>
        await TlsTransport.AuthenticateAsServerAsync(socket, _options.ServerTls!, _options.HandshakeTimeout, "the client " + remote, token).ConfigureAwait(false);

    private void ReportFailure(Exception exception, string? remote)
    {
        try
        {
            HandshakeFailed?.Invoke(this, new HandshakeFailedEventArgs(exception, remote));
        }
#pragma warning disable CA1031 // A throwing event handler must not stop the listener.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            UnobservedExceptions.Report(ex, $"{this}: a {nameof(HandshakeFailed)} handler");
        }
    }

    private void RemoveSocketFile()
    {
        if (LocalEndpoint.Kind != EndpointKind.Unix)
        {
            return;
        }

        try
        {
            // Remove the file only if it is still ours: another listener may have replaced it since.
            var stat = UnixSocketFile.Stat(LocalEndpoint.Address);
            if (stat is null ? File.Exists(LocalEndpoint.Address) : stat.Value.IsSocket && (_socketFileInode is null || stat.Value.Inode == _socketFileInode))
            {
                File.Delete(LocalEndpoint.Address);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
