using Processional.Transport;

namespace Processional;

/// <summary>Options of <see cref="SlaveProcess.StartServerAsync(string, ServerProcessOptions?, CancellationToken)"/>.</summary>
public sealed class ServerProcessOptions
{
    /// <summary>The defaults: not persistent, clients may stop it, lambdas per <see cref="ProcessionalServerOptions.AllowLambdas"/>'s rule.</summary>
    public static ServerProcessOptions Default { get; } = new();

    /// <summary>
    /// Whether the server keeps running after its last client disconnected. Default <see langword="false"/>: it exits
    /// then (and also when no client connected within <see cref="SlaveProcessOptions.StartTimeout"/>). A persistent
    /// server runs until a client stops it (<see cref="SlaveProcess.StopServerAsync"/>) and outlives the process that
    /// started it.
    /// </summary>
    public bool Persistent { get; init; }

    /// <summary>
    /// The secret (required on TCP; handed to the server through its standard input, never its command line or
    /// environment), and the connect and handshake timeouts of this side. <see langword="null"/> for the defaults.
    /// </summary>
    public ConnectionOptions? Connection { get; init; }

    /// <summary>Whether clients may send lambdas; see <see cref="ProcessionalServerOptions.AllowLambdas"/>.</summary>
    public bool? AllowLambdas { get; init; }

    /// <summary>Whether clients may stop the server. Default <see langword="true"/> (the server's own clients are the only way to stop a persistent one).</summary>
    public bool ClientsMayStop { get; init; } = true;

    /// <summary>The process's name, environment, working directory, output and start timeout; <see langword="null"/> for the defaults.</summary>
    public SlaveProcessOptions? Process { get; init; }
}
