using System.Diagnostics;
using Processional.Hosting;
using Processional.Rpc;
using Processional.Transport;

namespace Processional;

/// <summary>Clients of servers: connecting to one, starting one, getting its objects, stopping it.</summary>
public sealed partial class SlaveProcess
{
    /// <summary>
    /// Connects to a server (<see cref="ProcessionalServer"/>, or one started by <see cref="StartServerAsync(string, ServerProcessOptions?, CancellationToken)"/>
    /// or by <c>processional serve</c>), retrying while it is not up yet: the Python original's <c>client</c>.
    /// </summary>
    /// <param name="endpoint"><c>unix:/path.sock</c> or <c>tcp://host:port</c>.</param>
    /// <param name="options">The secret (required on TCP), TLS (<see cref="ConnectionOptions.ClientTls"/>), how long to keep retrying (<see cref="ConnectionOptions.ConnectTimeout"/>); <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>
    /// The client: <see cref="Get{T}(string?)"/> gets the server's objects; <c>Invoke</c>, <c>InvokeAsync</c>,
    /// <c>WrapAsync</c> and <c>CreateAsync</c> send lambdas when the server allows them; disposing it disconnects.
    /// </returns>
    /// <exception cref="TimeoutException">No server accepted a connection within the connect timeout; the message names the endpoint.</exception>
    /// <exception cref="ProtocolException">The handshake failed: a wrong or missing secret, TLS refused, another protocol version.</exception>
    public static Task<SlaveProcess> ConnectAsync(string endpoint, ConnectionOptions? options = null, CancellationToken cancellationToken = default) =>
        ConnectAsync(Endpoint.Parse(endpoint), options, cancellationToken);

    /// <inheritdoc cref="ConnectAsync(string, ConnectionOptions?, CancellationToken)"/>
    public static async Task<SlaveProcess> ConnectAsync(Endpoint endpoint, ConnectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var connection = await Transport.Connection.ConnectAsync(endpoint, options, cancellationToken).ConfigureAwait(false);
        var core = new ServerClientCore($"server on {endpoint}", connection.RemoteIdentity.ProcessId, process: null);
        return await StartClientAsync(core, connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a server process — this program, started again, serving on <paramref name="endpoint"/> — and connects to
    /// it: the Python original's <c>server</c>. Unless <see cref="ServerProcessOptions.Persistent"/>, the server exits
    /// once its last client has disconnected. Lambdas sent to it run on its main thread; inside them
    /// <see cref="ProcessionalServer.Current"/> is the server, to expose objects for other clients.
    /// </summary>
    /// <param name="endpoint"><c>unix:/path.sock</c> or <c>tcp://host:port</c>.</param>
    /// <param name="options">Persistence, secret, lambdas, and the process's name, environment and output; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start (the half-started server is killed).</param>
    /// <returns>The first client of the server.</returns>
    /// <exception cref="SlaveCrashedException">The server exited before it accepted this client (for example: the endpoint is in use).</exception>
    /// <exception cref="TimeoutException">The server did not accept a connection within <see cref="SlaveProcessOptions.StartTimeout"/>.</exception>
    public static async Task<SlaveProcess> StartServerAsync(string endpoint, ServerProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        var parsed = Endpoint.Parse(endpoint);
        options ??= ServerProcessOptions.Default;
        var processOptions = options.Process ?? SlaveProcessOptions.Default;
        var connectionOptions = options.Connection ?? ConnectionOptions.Default;
        Transport.Connection.CheckSupported(parsed, connectionOptions);

        var output = new OutputForwarder(processOptions);
        var info = ChildLauncher.StartInfo(processOptions,
        [
            new(ServerHost.EndpointVariable, parsed.ToString()),
            new(ServerHost.OptionsVariable, ServerHost.EncodeOptions(options, processOptions.StartTimeout)),
        ]);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"The server process could not be started ({info.FileName}).");
        var name = processOptions.Name ?? $"server-{process.Id}";
        output.Name = name;
        await process.StandardInput.WriteLineAsync(connectionOptions.Secret.IsEmpty ? string.Empty : Convert.ToBase64String(connectionOptions.Secret.Span)).ConfigureAwait(false);
        process.StandardInput.Close();
        output.Attach(process);
        var exited = process.WaitForExitAsync(CancellationToken.None);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(processOptions.StartTimeout);
            var connecting = Transport.Connection.ConnectAsync(parsed, new ConnectionOptions
            {
                Secret = connectionOptions.Secret,
                ClientTls = connectionOptions.ClientTls,
                HandshakeTimeout = connectionOptions.HandshakeTimeout,
                DedicatedThreads = connectionOptions.DedicatedThreads,
                ConnectTimeout = processOptions.StartTimeout,
            }, timeout.Token);
            if (await Task.WhenAny(connecting, exited).ConfigureAwait(false) != connecting)
            {
                _ = connecting.ContinueWith(static t => t.Result.DisposeAsync(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                var tail = await output.TailAsync(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
                throw new SlaveCrashedException(name, process.ExitCode, tail, "exited before it accepted a client", null);
            }

            Transport.Connection connection;
            try
            {
                connection = await connecting.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Server '{name}' did not accept a connection on {parsed} within {processOptions.StartTimeout}.");
            }

            if (connection.RemoteIdentity.ProcessId != process.Id)
            {
                // Another server already listens there: ours cannot, and exits.
                await connection.DisposeAsync().ConfigureAwait(false);
                await Task.WhenAny(exited, Task.Delay(processOptions.StartTimeout, cancellationToken)).ConfigureAwait(false);
                var tail = await output.TailAsync(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
                throw new SlaveCrashedException(name, process.HasExited ? process.ExitCode : null, tail, $"could not serve on {parsed}: process {connection.RemoteIdentity.ProcessId} answers there", null);
            }

            var core = new ServerClientCore(name, process.Id, process, options.Persistent);
            return await StartClientAsync(core, connection, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            throw;
        }
    }

    /// <summary>
    /// Gets a proxy of the object the other side exposes under <paramref name="name"/>: a server's shared objects
    /// (<see cref="ProcessionalServer.Expose{T}(string, T, DispatchPolicy)"/>), or a slave's. Same as
    /// <c>Connection.Get&lt;T&gt;(name)</c>.
    /// </summary>
    /// <typeparam name="T">The [Remote] interface.</typeparam>
    /// <param name="name">The name; <see langword="null"/> for the full name of <typeparamref name="T"/>.</param>
    /// <returns>The proxy; no message is sent until its first call, which fails if nothing is exposed under the name.</returns>
    public T Get<T>(string? name = null)
        where T : class
    {
        ThrowIfDisposed();
        return _core.Rpc.Get<T>(name);
    }

    /// <summary>
    /// Asks the server this client is connected to to stop (it closes every client's connection, and a server process
    /// exits). Refused with an <see cref="UnauthorizedAccessException"/> unless the server lets clients stop it
    /// (<see cref="ProcessionalServerOptions.ClientsMayStop"/>; on by default for servers started with
    /// <see cref="StartServerAsync(string, ServerProcessOptions?, CancellationToken)"/>).
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>A task that completes once the server has agreed to stop (and, for a server process this process started, once it exited).</returns>
    /// <exception cref="InvalidOperationException">This is a slave process, not a client of a server: dispose it instead.</exception>
    public async Task StopServerAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (_core is not ServerClientCore client)
        {
            throw new InvalidOperationException($"The {this} is a slave process, not a client of a server: dispose it to stop it.");
        }

        await ServerControl.StopAsync(client.Rpc, cancellationToken).ConfigureAwait(false);
        await client.WaitForServerExitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<SlaveProcess> StartClientAsync(ServerClientCore core, Transport.Connection connection, CancellationToken cancellationToken)
    {
        core.Connect(connection);
        try
        {
            await core.HelloAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await core.StopAsync().ConfigureAwait(false);
            throw;
        }

        var client = new SlaveProcess(core);

        // Dropping a client without disposing it only disconnects (see ServerClientCore.Kill).
        return client;
    }
}
