namespace Processional.Transport;

/// <summary>The kinds of <see cref="Endpoint"/> a connection can be made to.</summary>
public enum EndpointKind
{
    /// <summary>A Unix domain socket file: <c>unix:/path/to.sock</c>.</summary>
    Unix,

    /// <summary>A TCP host and port: <c>tcp://host:port</c>, IPv4, IPv6 (in brackets) or a host name.</summary>
    Tcp,

    /// <summary>A Windows named pipe: <c>pipe:name</c>. Parsed everywhere; not supported yet for connecting or listening.</summary>
    Pipe,
}
