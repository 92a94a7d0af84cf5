using System.Diagnostics;
using System.Security.Cryptography;

namespace Processional.Transport;

/// <summary>
/// The parent's side of a <see cref="ParentChildConnection"/>: a Unix socket in a private directory, waiting for the
/// one child that proves it is a child of this process (on Linux, by the kernel's credentials of the socket's peer;
/// elsewhere, by a one-time secret). Give <see cref="EnvironmentVariables"/> to the child (or call
/// <see cref="ApplyTo"/>), start it, then <see cref="AcceptAsync"/>.
/// </summary>
public sealed class ParentChildListener : IAsyncDisposable
{
    private readonly ConnectionListener _listener;
    private readonly string _directory;
    private readonly Dictionary<string, string> _environment;
    private int _cleanedUp;

    private ParentChildListener(ConnectionListener listener, string directory, byte[]? secret)
    {
        _listener = listener;
        _directory = directory;
        _environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ParentChildConnection.EndpointVariable] = listener.LocalEndpoint.ToString(),
        };
        if (secret is not null)
        {
            _environment[ParentChildConnection.SecretVariable] = Convert.ToBase64String(secret);
        }
    }

    /// <summary>The private endpoint the child connects to.</summary>
    public Endpoint Endpoint => _listener.LocalEndpoint;

    /// <summary>The variables to put in the child's environment: the endpoint (and, where the kernel cannot vouch for the child, the one-time secret).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables => _environment;

    /// <summary>Reports connections refused because they did not prove they are the child; the listener keeps waiting for it.</summary>
    public event EventHandler<HandshakeFailedEventArgs>? HandshakeFailed
    {
        add => _listener.HandshakeFailed += value;
        remove => _listener.HandshakeFailed -= value;
    }

    /// <summary>Puts <see cref="EnvironmentVariables"/> into the environment of a process about to be started.</summary>
    /// <param name="startInfo">How the child will be started.</param>
    public void ApplyTo(ProcessStartInfo startInfo)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        foreach (var (name, value) in _environment)
        {
            startInfo.Environment[name] = value;
        }
    }

    /// <summary>
    /// Waits for the child: the first connection that proves the secret. Connections that do not are refused (see
    /// <see cref="HandshakeFailed"/>) and the wait goes on. Once the child is connected, the socket file and its
    /// directory are removed, so nobody else can connect.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (for example when the child exited first).</param>
    /// <returns>The authenticated connection to the child.</returns>
    public async Task<Connection> AcceptAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
        await CleanUpAsync().ConfigureAwait(false);
        return connection;
    }

    /// <summary>Stops waiting and removes the socket file and the directory, if still there.</summary>
    /// <returns>A task that completes when they are removed.</returns>
    public ValueTask DisposeAsync() => CleanUpAsync();

    internal static async Task<ParentChildListener> CreateAsync(ConnectionOptions options, CancellationToken cancellationToken)
    {
        var directory = CreatePrivateDirectory();
        try
        {
            // On Linux the kernel says who connected (SO_PEERCRED): a process of this user whose parent is this process.
            // That needs no cryptography in either process and, unlike a secret in the child's environment (readable in
            // /proc by any process of the same user), cannot be replayed by another process racing the child.
            var byKernel = PeerCredentials.Available;
            var secret = byKernel ? null : ConnectionOptions.CreateSecret();
            var endpoint = Endpoint.Unix(Path.Combine(directory, "p.sock"));
            var listener = await ConnectionListener.ListenAsync(
                endpoint,
                new ConnectionOptions
                {
                    Secret = secret ?? ReadOnlyMemory<byte>.Empty,
                    PeerCheck = byKernel ? ChildOfThisProcess() : null,
                    HandshakeTimeout = options.HandshakeTimeout,
                    Identity = options.Identity,
                    ProtocolVersion = options.ProtocolVersion,
                },
                cancellationToken).ConfigureAwait(false);
            return new ParentChildListener(listener, directory, secret);
        }
        catch
        {
            TryDeleteDirectory(directory);
            throw;
        }
    }

    private static PeerCredentials.Check ChildOfThisProcess()
    {
        var parent = Environment.ProcessId;
        var user = PeerCredentials.CurrentUserId();
        return (processId, userId) =>
            userId != user ? $"process {processId} runs as user {userId}, not {user}"
            : !PeerCredentials.IsAncestor(parent, processId) ? $"process {processId} is not a child (or descendant) of this process"
            : null;
    }

    private static string CreatePrivateDirectory()
    {
        // The temporary directory may be long (macOS) while a socket path is limited: fall back to /tmp.
        var root = Path.GetTempPath();
        if (System.Text.Encoding.UTF8.GetByteCount(root) > 64 && Directory.Exists("/tmp"))
        {
            root = "/tmp";
        }

        var name = "processional-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var directory = Path.Combine(root, name);
        if (OperatingSystem.IsWindows())
        {
            // The user's temporary directory is already private to the user on Windows.
            Directory.CreateDirectory(directory);
            return directory;
        }

        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // mkdir applies the umask, which can only remove bits; set the mode again so that it is exactly 0700.
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return directory;
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async ValueTask CleanUpAsync()
    {
        if (Interlocked.Exchange(ref _cleanedUp, 1) != 0)
        {
            return;
        }

        await _listener.DisposeAsync().ConfigureAwait(false);
        TryDeleteDirectory(_directory);
    }
}
