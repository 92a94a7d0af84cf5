using System.Diagnostics;
using System.Net.Sockets;
using Processional.Multiplexing;
using Processional.Tests.Multiplexing;
using Processional.Transport;
using static Processional.Tests.Multiplexing.ChannelIo;

namespace Processional.Tests.Transport;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ListenerTests
{
    private static readonly ConnectionOptions s_secret = new() { Secret = Enumerable.Range(0, 32).Select(i => (byte)(i * 3)).ToArray() };

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_unix_listener_accepts_many_connections_each_multiplexed()
    {
        using var dir = new TempSocketDirectory();
        await using var listener = await ConnectionListener.ListenAsync(Endpoint.Unix(dir.File("s.sock")));

        var server = Task.Run(async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                var connection = await listener.AcceptAsync();
                _ = Task.Run(async () =>
                {
                    await using var mux = Multiplexer.Start(connection);
                    var channel = await mux.AcceptChannelAsync();
                    var data = await ReadToEndAsync(channel.Input);
                    await WriteAllAsync(channel.Output, data, chunk: 65536);
                    await channel.Completion;
                });
            }
        });

        var clients = Enumerable.Range(0, 3).Select(i => Task.Run(async () =>
        {
            await using var mux = Multiplexer.Start(await Connection.ConnectAsync(listener.LocalEndpoint));
            Assert.Equal(Environment.ProcessId, mux.Connection!.RemoteIdentity.ProcessId);
            var channel = mux.OpenChannel();
            var data = RandomBytes(3 << 20, seed: i);
            var echo = ReadToEndAsync(channel.Input);
            await WriteAllAsync(channel.Output, data, chunk: 100_000);
            Assert.Equal(data, await echo);
        })).ToArray();

        await Task.WhenAll(clients);
        await server;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task The_unix_socket_file_is_owner_only_and_removed_on_dispose()
    {
        using var dir = new TempSocketDirectory();
        var path = dir.File("s.sock");
        var listener = await ConnectionListener.ListenAsync(Endpoint.Unix(path));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        await listener.DisposeAsync();

        Assert.False(File.Exists(path));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_stale_socket_file_from_a_dead_listener_is_replaced()
    {
        using var dir = new TempSocketDirectory();
        var path = dir.File("s.sock");
        StaleSocket.Create(path);
        Assert.True(File.Exists(path));

        await using var listener = await ConnectionListener.ListenAsync(Endpoint.Unix(path));
        await using var client = await Connection.ConnectAsync(listener.LocalEndpoint);
        await using var accepted = await listener.AcceptAsync();
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_live_listener_s_socket_file_is_refused_and_kept()
    {
        using var dir = new TempSocketDirectory();
        var endpoint = Endpoint.Unix(dir.File("s.sock"));
        await using var live = await ConnectionListener.ListenAsync(endpoint);

        var error = await Assert.ThrowsAsync<IOException>(() => ConnectionListener.ListenAsync(endpoint));

        Assert.Contains("another listener is live", error.Message, StringComparison.Ordinal);
        await using var client = await Connection.ConnectAsync(endpoint);
        await using var accepted = await live.AcceptAsync();
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_regular_file_at_the_socket_path_is_never_replaced()
    {
        using var dir = new TempSocketDirectory();
        var path = dir.File("data.db");
        await File.WriteAllTextAsync(path, "precious");

        var error = await Assert.ThrowsAsync<IOException>(() => ConnectionListener.ListenAsync(Endpoint.Unix(path)));

        Assert.Contains("is not a socket", error.Message, StringComparison.Ordinal);
        Assert.Equal("precious", await File.ReadAllTextAsync(path));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Connect_gives_up_after_its_timeout_naming_the_endpoint()
    {
        using var dir = new TempSocketDirectory();
        var endpoint = Endpoint.Unix(dir.File("nobody.sock"));

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<TimeoutException>(() => Connection.ConnectAsync(endpoint, new ConnectionOptions { ConnectTimeout = TimeSpan.FromMilliseconds(300) }));

        Assert.Contains(endpoint.ToString(), error.Message, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Connect_over_tcp_gives_up_after_its_timeout_naming_the_endpoint()
    {
        // A port that was free a moment ago: nothing listens there.
        int port;
        using (var probe = new TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        var endpoint = Endpoint.Tcp("127.0.0.1", port);
        var error = await Assert.ThrowsAsync<TimeoutException>(() => Connection.ConnectAsync(endpoint, new ConnectionOptions { Secret = s_secret.Secret, ConnectTimeout = TimeSpan.FromMilliseconds(300) }));

        Assert.Contains(endpoint.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Connect_retries_while_the_listener_is_not_up_yet()
    {
        using var dir = new TempSocketDirectory();
        var endpoint = Endpoint.Unix(dir.File("late.sock"));

        var connecting = Connection.ConnectAsync(endpoint);
        await Task.Delay(150); // the scenario: the listener starts after the client began trying
        Assert.False(connecting.IsCompleted);
        await using var listener = await ConnectionListener.ListenAsync(endpoint);

        await using var client = await connecting;
        await using var accepted = await listener.AcceptAsync();
        Assert.Equal(ConnectionRole.Server, accepted.Role);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Tcp_requires_a_secret()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ConnectionListener.ListenAsync(Endpoint.Parse("tcp://127.0.0.1:0")));
        Assert.Contains("requires a shared secret", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => Connection.ConnectAsync(Endpoint.Parse("tcp://127.0.0.1:1")));
    }

    [Theory(Timeout = TestTimeouts.Short)]
    [InlineData("tcp://127.0.0.1:0")]
    [InlineData("tcp://[::1]:0")]
    [InlineData("tcp://localhost:0")]
    public async Task A_tcp_listener_authenticates_and_reports_its_port(string endpoint)
    {
        await using var listener = await ConnectionListener.ListenAsync(Endpoint.Parse(endpoint), s_secret);
        Assert.NotEqual(0, listener.LocalEndpoint.Port);

        await using var client = Multiplexer.Start(await Connection.ConnectAsync(listener.LocalEndpoint, s_secret));
        await using var server = Multiplexer.Start(await listener.AcceptAsync());

        Assert.True(client.Connection!.IsAuthenticated);
        await client.RpcChannel.Output.WriteAsync("over tcp"u8.ToArray());
        Assert.Equal("over tcp"u8.ToArray(), await ReadExactlyAsync(server.RpcChannel.Input, 8));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Wrong_and_missing_secrets_are_rejected_and_the_listener_keeps_serving()
    {
        using var dir = new TempSocketDirectory();
        await using var listener = await ConnectionListener.ListenAsync(Endpoint.Unix(dir.File("s.sock")), s_secret);
        var failures = new List<string>();
        var twoFailures = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.HandshakeFailed += (_, e) =>
        {
            lock (failures)
            {
                failures.Add(e.Exception.Message);
                if (failures.Count == 2)
                {
                    twoFailures.TrySetResult();
                }
            }
        };

        var wrong = await Assert.ThrowsAsync<ProtocolException>(() => Connection.ConnectAsync(listener.LocalEndpoint, new ConnectionOptions { Secret = new byte[32] }));
        var missing = await Assert.ThrowsAsync<ProtocolException>(() => Connection.ConnectAsync(listener.LocalEndpoint));
        Assert.Contains("different secrets", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("this side has none configured", missing.Message, StringComparison.Ordinal);

        await twoFailures.Task;
        Assert.Contains(failures, m => m.Contains("different secrets", StringComparison.Ordinal));
        Assert.Contains(failures, m => m.Contains("the peer has none configured", StringComparison.Ordinal));

        await using var good = await Connection.ConnectAsync(listener.LocalEndpoint, s_secret);
        await using var accepted = await listener.AcceptAsync();
        Assert.True(accepted.IsAuthenticated);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_stalled_handshake_delays_nobody_and_is_reported_when_it_times_out()
    {
        using var dir = new TempSocketDirectory();
        var options = new ConnectionOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(500) };
        await using var listener = await ConnectionListener.ListenAsync(Endpoint.Unix(dir.File("s.sock")), options);
        var failure = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.HandshakeFailed += (_, e) => failure.TrySetResult(e.Exception);

        using var silent = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await silent.ConnectAsync(listener.LocalEndpoint.ToUnixEndPoint());

        await using (var good = await Connection.ConnectAsync(listener.LocalEndpoint))
        await using (var accepted = await listener.AcceptAsync())
        {
            Assert.False(failure.Task.IsCompleted);
        }

        var error = Assert.IsType<ProtocolException>(await failure.Task);
        Assert.Contains("did not complete within 0.5 s", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, listener.PendingHandshakes);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Disposing_the_listener_ends_waiting_accepts_and_pending_handshakes()
    {
        using var dir = new TempSocketDirectory();
        var listener = await ConnectionListener.ListenAsync(Endpoint.Unix(dir.File("s.sock")));
        using var silent = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await silent.ConnectAsync(listener.LocalEndpoint.ToUnixEndPoint());
        var accept = listener.AcceptAsync().AsTask();

        await listener.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => accept);
        Assert.Equal(0, listener.PendingHandshakes);
        Assert.True(await ReceivesEndAsync(silent), "the pending handshake should have been closed");
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Closing_the_socket_under_a_multiplexer_fails_its_readers_within_a_second()
    {
        using var dir = new TempSocketDirectory();
        await using var listener = await ConnectionListener.ListenAsync(Endpoint.Unix(dir.File("s.sock")));
        var clientConnection = await Connection.ConnectAsync(listener.LocalEndpoint);
        await using var server = Multiplexer.Start(await listener.AcceptAsync());
        var client = Multiplexer.Start(clientConnection);
        var channel = client.OpenChannel();
        await channel.Output.WriteAsync(new byte[] { 1 });
        var remote = await server.AcceptChannelAsync();
        Assert.Equal(new byte[] { 1 }, await ReadExactlyAsync(remote.Input, 1));
        var read = remote.Input.ReadAsync().AsTask();

        // Close the socket under the client's multiplexer, without a GoAway: what the server sees when a process dies.
        var watch = Stopwatch.StartNew();
        await clientConnection.DisposeAsync();

        await Assert.ThrowsAsync<ConnectionLostException>(() => read);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
        await Assert.ThrowsAsync<ConnectionLostException>(() => server.Completion);
        await client.DisposeAsync();
    }

    private static async Task<bool> ReceivesEndAsync(Socket socket)
    {
        var buffer = new byte[256];
        try
        {
            // The listener's hello may come first; then the end of stream (or a reset).
            while (await socket.ReceiveAsync(buffer, SocketFlags.None) > 0)
            {
            }

            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }
}
