using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace Processional.Transport;

/// <summary>
/// A connection to a peer that has passed the handshake: a duplex byte stream (<see cref="Transport"/>) and what the
/// peer said about itself (<see cref="RemoteIdentity"/>). Made by <see cref="ConnectAsync"/>,
/// <see cref="ConnectionListener.AcceptAsync"/>, <see cref="ParentChildConnection"/>, or over any duplex pipe by
/// <see cref="EstablishAsync"/>. A <c>Processional.Multiplexing.Multiplexer</c> turns it into channels.
/// </summary>
public sealed class Connection : IAsyncDisposable
{
    private readonly IAsyncDisposable? _resource;
    private int _disposed;

    internal Connection(IDuplexPipe transport, ConnectionRole role, Endpoint? endpoint, HandshakeResult handshake, IAsyncDisposable? resource)
    {
        Transport = transport;
        Role = role;
        Endpoint = endpoint;
        RemoteIdentity = handshake.Remote;
        IsAuthenticated = handshake.Authenticated;
        _resource = resource;
    }

    /// <summary>
    /// The byte stream after the handshake. Its reader and writer each belong to one consumer at a time (normally a
    /// <c>Processional.Multiplexing.Multiplexer</c>).
    /// </summary>
    public IDuplexPipe Transport { get; }

    /// <summary>Whether this side connected (<see cref="ConnectionRole.Client"/>) or accepted.</summary>
    public ConnectionRole Role { get; }

    /// <summary>The endpoint connected to, or listened on; <see langword="null"/> for a connection over a plain duplex pipe.</summary>
    public Endpoint? Endpoint { get; }

    /// <summary>The peer's process id and program identity, as it announced them in the handshake.</summary>
    public PeerIdentity RemoteIdentity { get; }

    /// <summary>
    /// Whether the peer is authenticated: both ends proved that they know the shared secret, or (a parent–child
    /// connection on Linux) the kernel vouched for the peer's process.
    /// </summary>
    public bool IsAuthenticated { get; }

    /// <summary>
    /// Connects to a listener at <paramref name="endpoint"/> and runs the handshake. While nothing listens there yet
    /// it retries, until <see cref="ConnectionOptions.ConnectTimeout"/>.
    /// </summary>
    /// <param name="endpoint">Where to connect.</param>
    /// <param name="options">Secret (required for TCP), timeouts, identity; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels connecting and the handshake.</param>
    /// <returns>The connection, ready for use.</returns>
    /// <exception cref="TimeoutException">Nothing accepted a connection at the endpoint within the connect timeout; the message names the endpoint.</exception>
    /// <exception cref="ProtocolException">The handshake failed: another protocol version, a wrong or missing secret, a stall.</exception>
    /// <exception cref="ArgumentException">A TCP endpoint without a secret.</exception>
    /// <exception cref="PlatformNotSupportedException">A <c>pipe:</c> endpoint.</exception>
    public static async Task<Connection> ConnectAsync(Endpoint endpoint, ConnectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        options ??= ConnectionOptions.Default;
        CheckSupported(endpoint, options);

        var socket = await ConnectSocketAsync(endpoint, options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        int? kernelProcessId;
        try
        {
            kernelProcessId = PeerCredentials.VerifyBeforeHandshake(socket, options, endpoint.ToString());
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var transport = endpoint.Kind == EndpointKind.Tcp && options.HasClientTls
            ? await AuthenticateTlsAsync(socket, endpoint, options, cancellationToken).ConfigureAwait(false)
            : CreateTransport(socket, options);
        try
        {
            var handshake = await Handshake.RunAsync(transport, ConnectionRole.Client, options, endpoint.ToString(), cancellationToken).ConfigureAwait(false);
            handshake = PeerCredentials.ConfirmAfterHandshake(handshake, kernelProcessId, endpoint.ToString());

            return new Connection(transport, ConnectionRole.Client, endpoint, handshake, (IAsyncDisposable)transport);
        }
        catch
        {
            await ((IAsyncDisposable)transport).DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Connects to a Unix socket listener that is already listening and runs the handshake, blocking the calling thread
    /// throughout (<see cref="Handshake.Run"/>): for a slave connecting to its master at start. <paramref name="whileWaiting"/>
    /// runs once this side's hello is sent, while the peer answers.
    /// </summary>
    internal static Connection ConnectBlocking(Endpoint endpoint, ConnectionOptions options, Action? whileWaiting = null)
    {
        if (endpoint.Kind != EndpointKind.Unix)
        {
            throw new ArgumentException($"{endpoint}: a blocking connect is only for Unix socket endpoints.", nameof(endpoint));
        }

        var peer = endpoint.ToString();
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            try
            {
                socket.Connect(endpoint.ToUnixEndPoint());
            }
            catch (SocketException ex)
            {
                throw new IOException($"Could not connect to {peer}: {ex.Message}", ex);
            }

            // The peer is checked before anything it sent is read (its hello is not: this side's own goes first).
            int? kernelProcessId = null;
            var handshake = Handshake.Run(socket, ConnectionRole.Client, options, peer, afterHelloSent: () =>
            {
                whileWaiting?.Invoke();
                kernelProcessId = PeerCredentials.VerifyBeforeHandshake(socket, options, peer);
            });
            handshake = PeerCredentials.ConfirmAfterHandshake(handshake, kernelProcessId, peer);

            // The handshake read exactly its own bytes: whatever the peer sent after it is still in the socket, for the transport.
            var transport = CreateTransport(socket, options);
            return new Connection(transport, ConnectionRole.Client, endpoint, handshake, (IAsyncDisposable)transport);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the handshake over an already connected duplex pipe (an in-memory pipe pair, a TLS stream wrapped in pipes),
    /// and returns the connection over it.
    /// </summary>
    /// <param name="transport">The connected byte stream; the connection does not dispose what lies under it.</param>
    /// <param name="role">This side's role; the peer must have the other.</param>
    /// <param name="options">Secret, timeouts, identity; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the handshake.</param>
    /// <returns>The connection.</returns>
    /// <exception cref="ProtocolException">The handshake failed.</exception>
    public static async Task<Connection> EstablishAsync(IDuplexPipe transport, ConnectionRole role, ConnectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        options ??= ConnectionOptions.Default;
        var handshake = await Handshake.RunAsync(transport, role, options, "the peer", cancellationToken).ConfigureAwait(false);
        return new Connection(transport, role, null, handshake, null);
    }

    /// <summary>Closes the connection: the socket is shut down and closed, which ends any read still pending on it.</summary>
    /// <returns>A task that completes once the socket is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_resource is not null)
        {
            await _resource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"connection to {Endpoint?.ToString() ?? "a duplex pipe"} ({RemoteIdentity})";

    /// <summary>The transport over a connected socket that no asynchronous operation has touched yet.</summary>
    internal static IDuplexPipe CreateTransport(Socket socket, ConnectionOptions options) =>
        options.DedicatedThreads ? new SocketTransport(socket, options.ReceiveSpin) : new AsyncSocketTransport(socket);

    /// <summary>The caller's TLS options with the endpoint's host as the name to check, unless they name one (a copy: the caller's object is left alone).</summary>
    // TLS (System.Net.Security, and with it OpenSSL) is reached through methods of its own, so that a process that never
    // uses it — a slave — does not load it when this class is compiled.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static async Task<IDuplexPipe> AuthenticateTlsAsync(Socket socket, Endpoint endpoint, ConnectionOptions options, CancellationToken cancellationToken) =>
        await TlsTransport.AuthenticateAsClientAsync(socket, WithTargetHost(options.ClientTls!, endpoint), options.HandshakeTimeout, endpoint.ToString(), cancellationToken).ConfigureAwait(false);

    private static System.Net.Security.SslClientAuthenticationOptions WithTargetHost(System.Net.Security.SslClientAuthenticationOptions tls, Endpoint endpoint)
    {
        if (!string.IsNullOrEmpty(tls.TargetHost))
        {
            return tls;
        }

        var copy = new System.Net.Security.SslClientAuthenticationOptions
        {
            TargetHost = endpoint.Address,
            AllowRenegotiation = tls.AllowRenegotiation,
            AllowTlsResume = tls.AllowTlsResume,
            ApplicationProtocols = tls.ApplicationProtocols,
            CertificateChainPolicy = tls.CertificateChainPolicy,
            CertificateRevocationCheckMode = tls.CertificateRevocationCheckMode,
            ClientCertificateContext = tls.ClientCertificateContext,
            ClientCertificates = tls.ClientCertificates,
            EnabledSslProtocols = tls.EnabledSslProtocols,
            EncryptionPolicy = tls.EncryptionPolicy,
            LocalCertificateSelectionCallback = tls.LocalCertificateSelectionCallback,
            RemoteCertificateValidationCallback = tls.RemoteCertificateValidationCallback,
        };
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
        {
            copy.AllowRsaPssPadding = tls.AllowRsaPssPadding;
            copy.AllowRsaPkcs1Padding = tls.AllowRsaPkcs1Padding;
        }

        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            copy.CipherSuitesPolicy = tls.CipherSuitesPolicy;
        }

        return copy;
    }

    internal static void CheckSupported(Endpoint endpoint, ConnectionOptions options)
    {
        if (endpoint.Kind == EndpointKind.Pipe)
        {
            throw new PlatformNotSupportedException($"{endpoint}: named pipe endpoints are not supported yet; use unix: or tcp://.");
        }

        // A client certificate that the server requires authenticates the client as a secret would.
        if (endpoint.Kind == EndpointKind.Tcp && !options.HasSecret && !HasClientCertificates(options))
        {
            throw new ArgumentException($"{endpoint}: a TCP connection requires a shared secret (ConnectionOptions.Secret), or TLS with client certificates.", nameof(options));
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static bool HasClientCertificates(ConnectionOptions options) =>
        options.ServerTls is { ClientCertificateRequired: true } || options.ClientTls is { ClientCertificates.Count: > 0 };

    internal static async Task<IPAddress[]> ResolveAsync(Endpoint endpoint, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(endpoint.Address, out var address))
        {
            return [address];
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(endpoint.Address, cancellationToken).ConfigureAwait(false);
            return addresses.Length > 0 ? addresses : throw new IOException($"{endpoint}: the host name resolves to no address.");
        }
        catch (SocketException ex)
        {
            throw new IOException($"{endpoint}: the host name could not be resolved: {ex.Message}", ex);
        }
    }

    private static async Task<Socket> ConnectSocketAsync(Endpoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var delay = 5;
        Exception? last = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (socket, error) = await TryConnectOnceAsync(endpoint, deadline, cancellationToken).ConfigureAwait(false);
            if (socket is not null)
            {
                return socket;
            }

            last = error;
            var remaining = deadline - Environment.TickCount64;
            if (remaining <= 0)
            {
                throw new TimeoutException($"Could not connect to {endpoint} within {timeout.TotalSeconds:0.###} s: {last?.Message ?? "nothing is listening there"}", last);
            }

            // Nothing listens yet: back off (5 ms doubling to 100 ms) so that a listener starting soon is found quickly.
            await Task.Delay((int)Math.Min(delay, remaining), cancellationToken).ConfigureAwait(false);
            delay = Math.Min(delay * 2, 100);
        }
    }

    /// <summary>
    /// One attempt; a refused or missing endpoint returns the error to retry on, anything else throws. The socket is
    /// connected without asynchronous socket operations, which would register it with .NET's socket engine for good
    /// (see <see cref="SocketTransport"/>): non-blocking, then polled.
    /// </summary>
    private static async Task<(Socket? Socket, Exception? Error)> TryConnectOnceAsync(Endpoint endpoint, long deadline, CancellationToken cancellationToken)
    {
        if (endpoint.Kind == EndpointKind.Unix)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { Blocking = false };
            try
            {
                // A Unix socket connects at once or not at all; a listener whose backlog is full says "try again".
                socket.Connect(endpoint.ToUnixEndPoint());
                return (socket, null);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable or SocketError.TryAgain or SocketError.WouldBlock
                || ex.SocketErrorCode == SocketError.SocketError && !File.Exists(endpoint.Address))
            {
                socket.Dispose();
                return (null, ex);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                throw new IOException($"Could not connect to {endpoint}: {ex.Message}", ex);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        Exception? error = null;
        foreach (var address in await ResolveAsync(endpoint, cancellationToken).ConfigureAwait(false))
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
            try
            {
                await ConnectTcpAsync(socket, new IPEndPoint(address, endpoint.Port), deadline, cancellationToken).ConfigureAwait(false);
                return (socket, null);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.TimedOut or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.TryAgain)
            {
                socket.Dispose();
                error = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        return (null, error);
    }

    /// <summary>A non-blocking TCP connect, polled until it completes, fails, or the deadline passes.</summary>
    private static async Task ConnectTcpAsync(Socket socket, IPEndPoint remote, long deadline, CancellationToken cancellationToken)
    {
        try
        {
            socket.Connect(remote);
            return;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
        }

        // On loopback the answer is there at once; across a network it takes a round trip or more. Polling with
        // growing pauses costs at most a few milliseconds of lateness and no thread blocked meanwhile.
        var pause = 1;
        while (!socket.Poll(0, SelectMode.SelectWrite) && !socket.Poll(0, SelectMode.SelectError))
        {
            if (Environment.TickCount64 >= deadline)
            {
                throw new SocketException((int)SocketError.TimedOut);
            }

            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            pause = Math.Min(pause * 2, 50);
        }

        var status = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        if (status != SocketError.Success)
        {
            throw new SocketException((int)status);
        }

        // Reading Connected after a completed non-blocking connect updates the socket's view of itself.
        if (!socket.Connected)
        {
            throw new SocketException((int)SocketError.NotConnected);
        }
    }
}
