using Microsoft.Extensions.Logging;
using Processional.Transport;

namespace Processional;

/// <summary>Options of a <see cref="ProcessionalServer"/>. Immutable; <see cref="Default"/> holds the defaults.</summary>
public sealed class ProcessionalServerOptions
{
    /// <summary>The defaults: no secret, no TLS, lambdas per <see cref="AllowLambdas"/>'s rule, persistent, clients may not stop it, no logging.</summary>
    public static ProcessionalServerOptions Default { get; } = new();

    /// <summary>
    /// The listener's options: the shared secret (required on TCP unless TLS requires client certificates), TLS
    /// (<see cref="ConnectionOptions.ServerTls"/>), the handshake timeout, and whether each client gets a receiving
    /// thread of its own (<see cref="ConnectionOptions.DedicatedThreads"/>). <see langword="null"/> for the defaults.
    /// </summary>
    public ConnectionOptions? Connection { get; init; }

    /// <summary>
    /// Whether clients may send lambdas (<c>client.InvokeAsync(() => ...)</c>) to run in the server: that is running
    /// their code here, so only for clients you trust. <see langword="null"/> (the default): allowed over a Unix socket
    /// (owner-only, so only this user's processes connect) and refused over TCP. Either way, a client must run the same
    /// program as the server (the same module version ids) for its lambdas to run. A refused lambda fails with an
    /// <see cref="UnauthorizedAccessException"/> that names this option.
    /// </summary>
    public bool? AllowLambdas { get; init; }

    /// <summary>
    /// Whether a client may stop the server (<see cref="SlaveProcess.StopServerAsync"/>). Default <see langword="false"/>:
    /// only the host stops it (<see cref="ProcessionalServer.StopAsync"/>).
    /// </summary>
    public bool ClientsMayStop { get; init; }

    /// <summary>
    /// Whether the server stops by itself once its last client has disconnected (after at least one connected).
    /// Default <see langword="false"/>: persistent, it serves until stopped.
    /// </summary>
    public bool StopWhenLastClientDisconnects { get; init; }

    /// <summary>Where the server reports clients connecting and leaving, refused handshakes and broken connections; <see langword="null"/> for none.</summary>
    public ILogger? Logger { get; init; }
}
