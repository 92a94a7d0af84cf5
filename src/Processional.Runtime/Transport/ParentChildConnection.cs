namespace Processional.Transport;

/// <summary>
/// The private connection between a parent process and a child it starts. The parent calls
/// <see cref="CreateListenerAsync"/> and gives the child the environment variables of the returned
/// <see cref="ParentChildListener"/>; the child calls <see cref="ConnectToParentAsync"/>.
/// </summary>
/// <remarks>
/// The parent listens on a Unix socket with a random name in a fresh directory only its user can enter (0700) and hands
/// the child that endpoint. On Linux each side asks the kernel who is at the other end of the socket (SO_PEERCRED): the
/// parent accepts only a process of its user that descends from it, the child only its parent (or an ancestor), and the
/// process id each announces in the handshake must be the kernel's. Elsewhere the parent also hands the child a random
/// one-time secret that the handshake proves. The parent accepts exactly one such connection, then removes the socket
/// file and the directory. Nothing is inherited through file descriptors: .NET creates
/// sockets close-on-exec, and a descriptor made inheritable would leak into every process the parent starts.
/// </remarks>
public static class ParentChildConnection
{
    /// <summary>The environment variable that carries the parent's endpoint to the child.</summary>
    public const string EndpointVariable = "PROCESSIONAL_PARENT_ENDPOINT";

    /// <summary>The environment variable that carries the one-time secret (base64) to the child, where the kernel cannot vouch for the two ends (not on Linux).</summary>
    public const string SecretVariable = "PROCESSIONAL_PARENT_SECRET";

    /// <summary>Whether this process was started with a parent connection to make (its environment names one).</summary>
    public static bool HasParent => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EndpointVariable));

    /// <summary>Creates the parent's side: a private listener for one child.</summary>
    /// <param name="options">Handshake timeout and identity; any secret in it is replaced by a fresh one-time secret.</param>
    /// <param name="cancellationToken">Cancels creating the listener.</param>
    /// <returns>The listener; give its <see cref="ParentChildListener.EnvironmentVariables"/> to the child.</returns>
    public static Task<ParentChildListener> CreateListenerAsync(ConnectionOptions? options = null, CancellationToken cancellationToken = default) =>
        ParentChildListener.CreateAsync(options ?? ConnectionOptions.Default, cancellationToken);

    /// <summary>
    /// Connects the child to its parent, using the endpoint and secret from this process's environment. On success the
    /// two variables are removed from this process's environment, so that they are not passed on to its own children.
    /// </summary>
    /// <param name="options">Connect and handshake timeouts and identity; the secret comes from the environment.</param>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <returns>The authenticated connection to the parent.</returns>
    /// <exception cref="InvalidOperationException">This process was not started by a Processional parent (the variables are missing or malformed).</exception>
    public static async Task<Connection> ConnectToParentAsync(ConnectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (endpoint, connectionOptions) = ParentEndpoint(options);
        var connection = await Connection.ConnectAsync(endpoint, connectionOptions, cancellationToken).ConfigureAwait(false);
        ForgetParentEnvironment();
        return connection;
    }

    /// <summary>
    /// <see cref="ConnectToParentAsync"/> on the calling thread, blocking until connected (a slave at start): the parent
    /// listens before it starts the child, so the connection is made at once; the handshake timeout bounds the rest.
    /// <paramref name="whileWaiting"/> runs while the parent answers this side's hello (or before connecting, elsewhere).
    /// </summary>
    internal static Connection ConnectToParent(ConnectionOptions? options = null, Action? whileWaiting = null)
    {
        var (endpoint, connectionOptions) = ParentEndpoint(options);
        Connection connection;
        if (endpoint.Kind == EndpointKind.Unix)
        {
            connection = Connection.ConnectBlocking(endpoint, connectionOptions, whileWaiting);
        }
        else
        {
            whileWaiting?.Invoke();
            connection = Connection.ConnectAsync(endpoint, connectionOptions).GetAwaiter().GetResult();
        }

        ForgetParentEnvironment();
        return connection;
    }

    /// <summary>The parent's endpoint and the options to connect to it with, from this process's environment.</summary>
    private static (Endpoint Endpoint, ConnectionOptions Options) ParentEndpoint(ConnectionOptions? options)
    {
        var endpointText = Environment.GetEnvironmentVariable(EndpointVariable);
        var secretText = Environment.GetEnvironmentVariable(SecretVariable);
        var byKernel = string.IsNullOrEmpty(secretText) && PeerCredentials.Available;
        if (string.IsNullOrEmpty(endpointText) || (string.IsNullOrEmpty(secretText) && !byKernel))
        {
            throw new InvalidOperationException(
                $"This process was not started by a Processional parent: the environment variable {EndpointVariable} must be set " +
                $"(with {SecretVariable} where the kernel cannot vouch for the parent).");
        }

        if (!Endpoint.TryParse(endpointText, out var endpoint))
        {
            throw new InvalidOperationException($"{EndpointVariable} holds '{endpointText}', which is not an endpoint.");
        }

        var secret = Array.Empty<byte>();
        if (!byKernel)
        {
            try
            {
                secret = Convert.FromBase64String(secretText!);
            }
            catch (FormatException ex)
            {
                throw new InvalidOperationException($"{SecretVariable} is not base64.", ex);
            }
        }

        options ??= ConnectionOptions.Default;
        return (endpoint, new ConnectionOptions
        {
            Secret = secret,
            PeerCheck = byKernel ? ParentOfThisProcess() : null,
            ConnectTimeout = options.ConnectTimeout,
            HandshakeTimeout = options.HandshakeTimeout,
            Identity = options.Identity,
            ProtocolVersion = options.ProtocolVersion,
        });
    }

    private static void ForgetParentEnvironment()
    {
        Environment.SetEnvironmentVariable(EndpointVariable, null);
        Environment.SetEnvironmentVariable(SecretVariable, null);
    }

    /// <summary>The listening peer must be this process's parent (or an ancestor), running as the same user.</summary>
    /// <remarks>
    /// This process's user and parent are read when the check runs (a slave learns them on another thread meanwhile:
    /// <see cref="PeerCredentials.LearnSelf"/>).
    /// </remarks>
    private static PeerCredentials.Check ParentOfThisProcess()
    {
        var self = Environment.ProcessId;
        return (processId, userId) =>
            userId != PeerCredentials.CurrentUserId() ? $"it runs as user {userId}, not {PeerCredentials.CurrentUserId()}"
            : !PeerCredentials.IsAncestor(processId, self) ? $"process {processId} is not this process's parent (or an ancestor)"
            : null;
    }
}
