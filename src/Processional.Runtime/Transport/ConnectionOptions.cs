using System.Net.Security;
using System.Security.Cryptography;

namespace Processional.Transport;

/// <summary>
/// How <see cref="Connection"/> connects and how <see cref="ConnectionListener"/> accepts: the shared secret, the
/// timeouts, and the identity this side announces. Immutable; <see cref="Default"/> holds the defaults.
/// </summary>
public sealed class ConnectionOptions
{
    /// <summary>The shortest secret accepted, in bytes.</summary>
    public const int MinSecretLength = 16;

    /// <summary>The longest secret accepted, in bytes.</summary>
    public const int MaxSecretLength = 1024;

    private readonly ReadOnlyMemory<byte> _secret;
    private readonly TimeSpan _connectTimeout = TimeSpan.FromSeconds(10);
    private readonly TimeSpan _handshakeTimeout = TimeSpan.FromSeconds(10);
    private readonly TimeSpan _receiveSpin;

    /// <summary>The defaults: no secret, 10 s to connect, 10 s for the handshake, <see cref="ProgramIdentity.Current"/>.</summary>
    public static ConnectionOptions Default { get; } = new();

    /// <summary>
    /// The shared secret both ends prove they know (HMAC-SHA256 challenge-response in both directions), from
    /// <see cref="MinSecretLength"/> to <see cref="MaxSecretLength"/> bytes; empty for none. Required on TCP. When one
    /// end has a secret and the other has none or a different one, the handshake fails on both ends.
    /// </summary>
    public ReadOnlyMemory<byte> Secret
    {
        get => _secret;
        init
        {
            if (!value.IsEmpty && (value.Length < MinSecretLength || value.Length > MaxSecretLength))
            {
                throw new ArgumentException($"A secret must be {MinSecretLength} to {MaxSecretLength} bytes long; this one is {value.Length}.", nameof(value));
            }

            _secret = value.ToArray();
        }
    }

    /// <summary>
    /// How long <see cref="Connection.ConnectAsync"/> keeps retrying while nothing listens at the endpoint yet, before
    /// it throws a <see cref="TimeoutException"/> naming the endpoint. Default 10 s.
    /// </summary>
    public TimeSpan ConnectTimeout
    {
        get => _connectTimeout;
        init => _connectTimeout = CheckTimeout(value, nameof(ConnectTimeout));
    }

    /// <summary>How long the handshake may take before it fails with a <see cref="ProtocolException"/>. Default 10 s.</summary>
    public TimeSpan HandshakeTimeout
    {
        get => _handshakeTimeout;
        init => _handshakeTimeout = CheckTimeout(value, nameof(HandshakeTimeout));
    }

    /// <summary>
    /// Whether each socket connection gets a receiving thread of its own (and, while its peer reads more slowly than
    /// this side writes, a sending thread), instead of .NET's asynchronous sockets. Default <see langword="true"/>:
    /// a message then costs one kernel wake-up, as on a raw socket read by a blocked thread, and the multiplexer's
    /// reading loop runs where the bytes arrive. Turn it off for a server with hundreds of mostly idle connections,
    /// where a thread each (about 100 KB of committed stack, plus scheduling) costs more than the latency saved: the
    /// connection then uses the thread pool, at two or three thread wake-ups per message. Connections over a duplex
    /// pipe (<see cref="Connection.EstablishAsync"/>) are not affected.
    /// </summary>
    public bool DedicatedThreads { get; init; } = true;

    /// <summary>
    /// With <see cref="DedicatedThreads"/>, how long the receiving thread keeps checking for bytes before it sleeps in
    /// the kernel, after it found the socket empty. A reply that comes within it costs no wake-up at all: on a virtual
    /// machine whose idle processors halt, waking one can cost tens of microseconds. The price is processor time, up to
    /// this long after each burst of traffic. Default <see cref="TimeSpan.Zero"/> (sleep at once); 0 to 1 ms.
    /// </summary>
    public TimeSpan ReceiveSpin
    {
        get => _receiveSpin;
        init => _receiveSpin = value < TimeSpan.Zero || value > TimeSpan.FromMilliseconds(1)
            ? throw new ArgumentOutOfRangeException(nameof(ReceiveSpin), value, "The spin must be from 0 to 1 ms.")
            : value;
    }

    /// <summary>
    /// TLS for a listener on a TCP endpoint: the server certificate and, optionally, the client certificates required
    /// (<see cref="SslServerAuthenticationOptions.ClientCertificateRequired"/> and a validation callback). TLS is
    /// negotiated first, within <see cref="HandshakeTimeout"/>; the Processional handshake then runs inside it.
    /// <see langword="null"/> (the default): no TLS. Ignored for Unix sockets.
    /// </summary>
    public SslServerAuthenticationOptions? ServerTls { get; init; }

    /// <summary>
    /// TLS for connecting to a TCP endpoint: the server's expected name (<see cref="SslClientAuthenticationOptions.TargetHost"/>,
    /// default the endpoint's host), how its certificate is validated, and this side's client certificates.
    /// <see langword="null"/> (the default): no TLS. Ignored for Unix sockets.
    /// </summary>
    public SslClientAuthenticationOptions? ClientTls { get; init; }

    /// <summary>The identity this side announces; <see langword="null"/> for <see cref="ProgramIdentity.Current"/>.</summary>
    public ProgramIdentity? Identity { get; init; }

    /// <summary>The protocol version this side announces; only tests change it.</summary>
    internal ushort ProtocolVersion { get; init; } = Handshake.CurrentVersion;

    /// <summary>
    /// A check of the peer's kernel credentials (Unix sockets, Linux) before the handshake, for the parent–child
    /// connection; when set, the peer's announced process id must also be the kernel's.
    /// </summary>
    internal PeerCredentials.Check? PeerCheck { get; init; }

    /// <summary>Whether <see cref="ServerTls"/> is set.</summary>
    internal bool HasServerTls => ServerTls is not null;

    /// <summary>Whether <see cref="ClientTls"/> is set.</summary>
    internal bool HasClientTls => ClientTls is not null;

    /// <summary>Whether a secret is set.</summary>
    internal bool HasSecret => !_secret.IsEmpty;

    /// <summary>A new random secret of 32 bytes, for example to hand to a child process.</summary>
    /// <returns>The secret.</returns>
    public static byte[] CreateSecret() => RandomNumberGenerator.GetBytes(32);

    private static TimeSpan CheckTimeout(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, value, "A timeout must be positive or Timeout.InfiniteTimeSpan.");
        }

        return value;
    }
}
