using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Processional.Transport;

/// <summary>
/// Where a connection goes, written as a string and parsed in this one place: <c>unix:/path/to.sock</c>,
/// <c>tcp://127.0.0.1:7000</c>, <c>tcp://[::1]:7000</c>, <c>tcp://host.example:7000</c>, or <c>pipe:name</c>
/// (Windows named pipes, reserved: parsed but not yet supported by <see cref="Connection"/> and
/// <see cref="ConnectionListener"/>).
/// </summary>
public sealed class Endpoint : IEquatable<Endpoint>
{
    /// <summary>
    /// The longest Unix socket path in UTF-8 bytes: <c>sun_path</c> is 108 bytes on Linux with the terminating zero,
    /// 104 on macOS; the smaller keeps a path portable.
    /// </summary>
    public const int MaxUnixPathBytes = 103;

    private Endpoint(EndpointKind kind, string address, int port)
    {
        Kind = kind;
        Address = address;
        Port = port;
    }

    /// <summary>What kind of endpoint this is.</summary>
    public EndpointKind Kind { get; }

    /// <summary>
    /// The socket file path for <see cref="EndpointKind.Unix"/>, the host (a name or an IP address, without brackets)
    /// for <see cref="EndpointKind.Tcp"/>, the pipe name for <see cref="EndpointKind.Pipe"/>.
    /// </summary>
    public string Address { get; }

    /// <summary>The TCP port (0 asks a listener for any free port); 0 for the other kinds.</summary>
    public int Port { get; }

    /// <summary>Parses an endpoint string.</summary>
    /// <param name="text">For example <c>unix:/tmp/app.sock</c>, <c>tcp://127.0.0.1:7000</c>, <c>tcp://[::1]:7000</c>.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is not an endpoint; the message names it and says why.</exception>
    public static Endpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParseCore(text, out var endpoint, out var error)
            ? endpoint
            : throw new FormatException($"'{text}' is not a valid endpoint: {error}.");
    }

    /// <summary>Parses an endpoint string, or returns <see langword="false"/> when it is not one.</summary>
    /// <param name="text">The string to parse.</param>
    /// <param name="endpoint">The endpoint when the string is valid.</param>
    /// <returns>Whether <paramref name="text"/> was a valid endpoint.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Endpoint? endpoint)
    {
        endpoint = null;
        return text is not null && TryParseCore(text, out endpoint, out _);
    }

    /// <summary>A Unix domain socket endpoint.</summary>
    /// <param name="path">The socket file path.</param>
    /// <returns>The endpoint <c>unix:<paramref name="path"/></c>.</returns>
    /// <exception cref="ArgumentException">The path is empty, contains a zero character or is too long.</exception>
    public static Endpoint Unix(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var error = CheckUnixPath(path);
        return error is null ? new Endpoint(EndpointKind.Unix, path, 0) : throw new ArgumentException($"'{path}' {error}.", nameof(path));
    }

    /// <summary>A TCP endpoint.</summary>
    /// <param name="host">A host name or an IP address (IPv6 with or without brackets).</param>
    /// <param name="port">The port, 0 to 65535 (0 lets a listener pick a free port).</param>
    /// <returns>The endpoint <c>tcp://host:port</c>.</returns>
    public static Endpoint Tcp(string host, int port)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        var error = CheckHost(host);
        return error is null ? new Endpoint(EndpointKind.Tcp, host, port) : throw new ArgumentException($"'{host}' {error}.", nameof(host));
    }

    /// <summary>A TCP endpoint for an IP address.</summary>
    /// <param name="endPoint">The address and port.</param>
    /// <returns>The endpoint <c>tcp://address:port</c>.</returns>
    public static Endpoint Tcp(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return new Endpoint(EndpointKind.Tcp, endPoint.Address.ToString(), endPoint.Port);
    }

    /// <summary>The canonical string: <see cref="Parse"/> of it gives an equal endpoint.</summary>
    /// <returns>For example <c>unix:/tmp/app.sock</c> or <c>tcp://[::1]:7000</c>.</returns>
    public override string ToString() => Kind switch
    {
        EndpointKind.Unix => "unix:" + Address,
        EndpointKind.Pipe => "pipe:" + Address,
        _ => Address.Contains(':', StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"tcp://[{Address}]:{Port}")
            : string.Create(CultureInfo.InvariantCulture, $"tcp://{Address}:{Port}"),
    };

    /// <inheritdoc/>
    public bool Equals(Endpoint? other) =>
        other is not null
        && Kind == other.Kind
        && Port == other.Port
        && string.Equals(Address, other.Address, Kind == EndpointKind.Tcp ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Endpoint);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(
        Kind,
        Port,
        Kind == EndpointKind.Tcp ? StringComparer.OrdinalIgnoreCase.GetHashCode(Address) : StringComparer.Ordinal.GetHashCode(Address));

    /// <summary>The socket address for a Unix endpoint.</summary>
    internal UnixDomainSocketEndPoint ToUnixEndPoint() => new(Address);

    private static bool TryParseCore(string text, [NotNullWhen(true)] out Endpoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            error = "expected a scheme, as in unix:/path/to.sock, tcp://host:port or pipe:name";
            return false;
        }

        var scheme = text[..colon];
        var rest = text[(colon + 1)..];
        if (scheme.Equals("unix", StringComparison.OrdinalIgnoreCase))
        {
            error = CheckUnixPath(rest);
            if (error is not null)
            {
                error = "the socket path " + error;
                return false;
            }

            endpoint = new Endpoint(EndpointKind.Unix, rest, 0);
            return true;
        }

        if (scheme.Equals("pipe", StringComparison.OrdinalIgnoreCase))
        {
            if (rest.Length == 0 || rest.AsSpan().IndexOfAny('/', '\\', '\0') >= 0)
            {
                error = "a pipe name must be non-empty and contain no '/', '\\' or zero character";
                return false;
            }

            endpoint = new Endpoint(EndpointKind.Pipe, rest, 0);
            error = null;
            return true;
        }

        if (scheme.Equals("tcp", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseTcp(rest, out endpoint, out error);
        }

        error = $"unknown scheme '{scheme}' (expected unix:, tcp:// or pipe:)";
        return false;
    }

    private static bool TryParseTcp(string rest, [NotNullWhen(true)] out Endpoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        if (!rest.StartsWith("//", StringComparison.Ordinal))
        {
            error = "a TCP endpoint is written tcp://host:port";
            return false;
        }

        var hostPort = rest[2..];
        if (hostPort.EndsWith('/'))
        {
            hostPort = hostPort[..^1];
        }

        string host;
        string portText;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = "the IPv6 address has no closing ']'";
                return false;
            }

            host = hostPort[1..close];
            if (!IPAddress.TryParse(host, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"'{host}' in brackets is not an IPv6 address";
                return false;
            }

            if (close + 1 >= hostPort.Length || hostPort[close + 1] != ':')
            {
                error = "the port is missing (tcp://[address]:port)";
                return false;
            }

            portText = hostPort[(close + 2)..];
        }
        else
        {
            var lastColon = hostPort.LastIndexOf(':');
            if (lastColon < 0)
            {
                error = "the port is missing (tcp://host:port)";
                return false;
            }

            host = hostPort[..lastColon];
            if (host.Contains(':', StringComparison.Ordinal))
            {
                error = "an IPv6 address must be written in brackets, as in tcp://[::1]:7000";
                return false;
            }

            portText = hostPort[(lastColon + 1)..];
        }

        if (host.Length == 0)
        {
            error = "the host is missing";
            return false;
        }

        if (portText.Length == 0 || !portText.All(char.IsAsciiDigit)
            || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            error = $"'{portText}' is not a port number (0 to {IPEndPoint.MaxPort})";
            return false;
        }

        error = CheckHost(host);
        if (error is not null)
        {
            return false;
        }

        endpoint = new Endpoint(EndpointKind.Tcp, host, port);
        return true;
    }

    private static string? CheckHost(string host)
    {
        if (IPAddress.TryParse(host, out _))
        {
            return null;
        }

        return Uri.CheckHostName(host) == UriHostNameType.Dns ? null : $"'{host}' is not a host name or an IP address";
    }

    private static string? CheckUnixPath(string path)
    {
        if (path.Length == 0)
        {
            return "is empty";
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return "contains a zero character";
        }

        var bytes = Encoding.UTF8.GetByteCount(path);
        return bytes > MaxUnixPathBytes
            ? $"is {bytes} bytes long; a Unix socket path can have at most {MaxUnixPathBytes}"
            : null;
    }
}
