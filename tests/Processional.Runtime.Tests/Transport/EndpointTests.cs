using Processional.Transport;

namespace Processional.Tests.Transport;

public sealed class EndpointTests
{
    [Theory(Timeout = TestTimeouts.Short)]
    [InlineData("unix:/tmp/app.sock", EndpointKind.Unix, "/tmp/app.sock", 0, "unix:/tmp/app.sock")]
    [InlineData("UNIX:relative.sock", EndpointKind.Unix, "relative.sock", 0, "unix:relative.sock")]
    [InlineData("tcp://127.0.0.1:7000", EndpointKind.Tcp, "127.0.0.1", 7000, "tcp://127.0.0.1:7000")]
    [InlineData("tcp://[::1]:7000", EndpointKind.Tcp, "::1", 7000, "tcp://[::1]:7000")]
    [InlineData("tcp://[fe80::1%25eth0]:1", EndpointKind.Tcp, "fe80::1%25eth0", 1, "tcp://[fe80::1%25eth0]:1")]
    [InlineData("tcp://server.example:0", EndpointKind.Tcp, "server.example", 0, "tcp://server.example:0")]
    [InlineData("tcp://localhost:65535/", EndpointKind.Tcp, "localhost", 65535, "tcp://localhost:65535")]
    [InlineData("pipe:my-app", EndpointKind.Pipe, "my-app", 0, "pipe:my-app")]
    public async Task Parse_reads_every_kind_and_ToString_round_trips(string text, EndpointKind kind, string address, int port, string canonical)
    {
        await Task.Yield();
        var endpoint = Endpoint.Parse(text);

        Assert.Equal(kind, endpoint.Kind);
        Assert.Equal(address, endpoint.Address);
        Assert.Equal(port, endpoint.Port);
        Assert.Equal(canonical, endpoint.ToString());
        Assert.Equal(endpoint, Endpoint.Parse(endpoint.ToString()));
    }

    [Theory(Timeout = TestTimeouts.Short)]
    [InlineData("", "expected a scheme")]
    [InlineData("/tmp/app.sock", "expected a scheme")]
    [InlineData("http://host:80", "unknown scheme 'http'")]
    [InlineData("unix:", "is empty")]
    [InlineData("tcp:host:80", "tcp://host:port")]
    [InlineData("tcp://host", "port is missing")]
    [InlineData("tcp://host:", "is not a port number")]
    [InlineData("tcp://host:70000", "'70000' is not a port number")]
    [InlineData("tcp://host:-1", "is not a port number")]
    [InlineData("tcp://::1:7000", "must be written in brackets")]
    [InlineData("tcp://[::1:7000", "no closing ']'")]
    [InlineData("tcp://[1.2.3.4]:7000", "is not an IPv6 address")]
    [InlineData("tcp://:7000", "host is missing")]
    [InlineData("tcp://bad host:7000", "is not a host name")]
    [InlineData("pipe:", "non-empty")]
    [InlineData("pipe:a/b", "non-empty")]
    public async Task Parse_rejects_bad_strings_naming_the_string_and_the_problem(string text, string problem)
    {
        await Task.Yield();
        var error = Assert.Throws<FormatException>(() => Endpoint.Parse(text));

        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.False(Endpoint.TryParse(text, out _));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_unix_path_longer_than_a_socket_address_holds_is_rejected()
    {
        await Task.Yield();
        var text = "unix:/" + new string('a', Endpoint.MaxUnixPathBytes);

        var error = Assert.Throws<FormatException>(() => Endpoint.Parse(text));

        Assert.Contains("at most 103", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Pipe_endpoints_parse_but_cannot_be_used_yet()
    {
        var endpoint = Endpoint.Parse("pipe:later");

        var error = await Assert.ThrowsAsync<PlatformNotSupportedException>(() => Connection.ConnectAsync(endpoint));
        Assert.Contains("pipe:later", error.Message, StringComparison.Ordinal);
    }
}
