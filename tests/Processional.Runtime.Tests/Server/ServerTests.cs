using System.Net.Sockets;
using Processional.Rpc;
using Processional.Transport;

namespace Processional.Tests.Server;

public sealed class ServerTests
{
    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Two_clients_share_the_servers_named_object()
    {
        var counter = new SharedCounter();
        await using var server = await ProcessionalServer.ListenAsync(ServerTestKit.UnixEndpoint());
        server.Expose<ISharedCounter>("counter", counter);

        await using var first = await SlaveProcess.ConnectAsync(server.Endpoint);
        await using var second = await SlaveProcess.ConnectAsync(server.Endpoint);
        await first.Get<ISharedCounter>("counter").AddAsync(5);
        await second.Get<ISharedCounter>("counter").AddAsync(7);

        Assert.Equal(12, await first.Get<ISharedCounter>("counter").TotalAsync());
        Assert.Equal(12, await counter.TotalAsync());
        Assert.Equal(2, server.ClientCount);
        Assert.Equal(Environment.ProcessId, first.ProcessId);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Unexposed_objects_fail_later_calls_and_reserved_names_are_refused()
    {
        await using var server = await ProcessionalServer.ListenAsync(ServerTestKit.UnixEndpoint());
        server.Expose<ISharedCounter>("counter", new SharedCounter());
        await using var client = await SlaveProcess.ConnectAsync(server.Endpoint);
        var counter = client.Get<ISharedCounter>("counter");
        Assert.Equal(1, await counter.AddAsync(1));

        Assert.True(server.Unexpose("counter"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => counter.AddAsync(1));
        Assert.Throws<ArgumentException>(() => server.Expose<ISharedCounter>("processional.server", new SharedCounter()));
        Assert.False(server.Unexpose("processional.server"));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_clients_objects_are_released_when_it_disconnects_and_others_keep_theirs()
    {
        var counter = new SharedCounter();
        await using var server = await ProcessionalServer.ListenAsync(ServerTestKit.UnixEndpoint());
        server.Expose<ISharedCounter>("counter", counter);
        await using var staying = await SlaveProcess.ConnectAsync(server.Endpoint);
        var leaving = await SlaveProcess.ConnectAsync(server.Endpoint);

        var kept = await staying.Get<ISharedCounter>("counter").OpenSessionAsync("kept");
        await OpenAndDropAsync(leaving);
        Assert.Equal(2, server.Clients.Sum(c => c.ExportedObjectCount));

        await leaving.DisposeAsync();

        await WaitUntilAsync(() => server.ClientCount == 1);
        Assert.Equal(1, server.Clients.Single().ExportedObjectCount);
        await GcHelper.CollectUntilAsync(() => counter.Sessions.Count(s => s.IsAlive) == 1, "the leaving client's session is collected");
        Assert.Equal("kept", await kept.NameAsync());
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_wrong_secret_is_refused_and_logged_while_other_clients_keep_working()
    {
        var logger = new ListLogger();
        await using var server = await ProcessionalServer.ListenAsync(ServerTestKit.AnyTcp, new ProcessionalServerOptions { Connection = ServerTestKit.WithSecret, Logger = logger });
        server.Expose<ISharedCounter>("counter", new SharedCounter());
        await using var good = await SlaveProcess.ConnectAsync(server.Endpoint, ServerTestKit.WithSecret);

        var wrong = new ConnectionOptions { Secret = "another secret of 32 bytes......"u8.ToArray() };
        await Assert.ThrowsAsync<ProtocolException>(() => SlaveProcess.ConnectAsync(server.Endpoint, wrong));
        await Assert.ThrowsAsync<ArgumentException>(() => SlaveProcess.ConnectAsync(server.Endpoint));

        await logger.WaitForAsync("Refused a connection");
        Assert.Equal(3, await good.Get<ISharedCounter>("counter").AddAsync(3));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Garbage_before_and_after_the_handshake_closes_only_that_client()
    {
        var logger = new ListLogger();
        await using var server = await ProcessionalServer.ListenAsync(ServerTestKit.UnixEndpoint(), new ProcessionalServerOptions { Logger = logger });
        server.Expose<ISharedCounter>("counter", new SharedCounter());
        await using var good = await SlaveProcess.ConnectAsync(server.Endpoint);

        // Not even a hello.
        using (var raw = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            await raw.ConnectAsync(server.Endpoint.ToUnixEndPoint());
            await raw.SendAsync(new byte[200].Select((_, i) => (byte)(i * 37)).ToArray());
            await logger.WaitForAsync("Refused a connection");
        }

        // A proper handshake, then frames that make no sense.
        await using (var connection = await Connection.ConnectAsync(server.Endpoint))
        {
            await WaitUntilAsync(() => server.ClientCount == 2);
            await connection.Transport.Output.WriteAsync(Enumerable.Repeat((byte)0xEE, 64).ToArray());
            await WaitUntilAsync(() => server.ClientCount == 1);
        }

        await logger.WaitForAsync("connection broke");
        Assert.Equal(2, await good.Get<ISharedCounter>("counter").AddAsync(2));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_client_silent_in_the_handshake_is_dropped_after_the_timeout_and_holds_up_nobody()
    {
        var logger = new ListLogger();
        await using var server = await ProcessionalServer.ListenAsync(ServerTestKit.UnixEndpoint(), new ProcessionalServerOptions
        {
            Logger = logger,
            Connection = new ConnectionOptions { HandshakeTimeout = TimeSpan.FromSeconds(1) },
        });
        server.Expose<ISharedCounter>("counter", new SharedCounter());
        using var silent = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await silent.ConnectAsync(server.Endpoint.ToUnixEndPoint());

        await using var other = await SlaveProcess.ConnectAsync(server.Endpoint);
        Assert.Equal(1, await other.Get<ISharedCounter>("counter").AddAsync(1));

        await logger.WaitForAsync("Refused a connection");
        Assert.Equal(1, server.ClientCount);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_client_stalled_mid_frame_holds_up_nobody()
    {
        await using var server = await ProcessionalServer.ListenAsync(ServerTestKit.UnixEndpoint());
        server.Expose<ISharedCounter>("counter", new SharedCounter());
        await using var stalled = await Connection.ConnectAsync(server.Endpoint);
        await WaitUntilAsync(() => server.ClientCount == 1);

        // The first bytes of a frame header, and then nothing.
        await stalled.Transport.Output.WriteAsync(new byte[] { 0x01, 0x00 });

        await using var other = await SlaveProcess.ConnectAsync(server.Endpoint);
        var counter = other.Get<ISharedCounter>("counter");
        for (var i = 1; i <= 100; i++)
        {
            Assert.Equal(i, await counter.AddAsync(1));
        }

        Assert.Equal(2, server.ClientCount);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_client_that_disconnects_mid_call_has_its_call_canceled_and_others_go_on()
    {
        var counter = new SharedCounter();
        await using var server = await ProcessionalServer.ListenAsync(ServerTestKit.UnixEndpoint());
        server.Expose<ISharedCounter>("counter", counter, DispatchPolicy.Concurrent);
        await using var other = await SlaveProcess.ConnectAsync(server.Endpoint);
        var leaving = await SlaveProcess.ConnectAsync(server.Endpoint);

        // A call that takes a token (one the caller may cancel) is canceled in the server when its caller goes away.
        using var never = new CancellationTokenSource();
        var pending = leaving.Get<ISharedCounter>("counter").WaitForeverAsync(never.Token);
        await counter.Waiting.Task;
        await leaving.DisposeAsync();

        await counter.Canceled.Task;
        await Assert.ThrowsAnyAsync<Exception>(() => pending);
        Assert.Equal(4, await other.Get<ISharedCounter>("counter").AddAsync(4));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_call_sent_without_a_token_is_canceled_too_when_its_client_disconnects()
    {
        var counter = new SharedCounter();
        await using var server = await ProcessionalServer.ListenAsync(ServerTestKit.UnixEndpoint());
        server.Expose<ISharedCounter>("counter", counter, DispatchPolicy.Concurrent);
        var leaving = await SlaveProcess.ConnectAsync(server.Endpoint);

        // No token from the caller: the method gets the connection's, which is canceled when the connection closes.
        var pending = leaving.Get<ISharedCounter>("counter").WaitForeverAsync(CancellationToken.None);
        await counter.Waiting.Task;
        await leaving.DisposeAsync();

        await counter.Canceled.Task;
        await Assert.ThrowsAnyAsync<Exception>(() => pending);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_hundred_clients_at_once()
    {
        var counter = new SharedCounter();
        await using var server = await ProcessionalServer.ListenAsync(ServerTestKit.UnixEndpoint());
        server.Expose<ISharedCounter>("counter", counter);

        var clients = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => SlaveProcess.ConnectAsync(server.Endpoint)));
        try
        {
            Assert.Equal(100, server.ClientCount);
            await Task.WhenAll(clients.Select(c => c.Get<ISharedCounter>("counter").AddAsync(1)));
            Assert.Equal(100, await counter.TotalAsync());
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }

        await WaitUntilAsync(() => server.ClientCount == 0);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Clients_may_stop_the_server_only_when_it_says_so()
    {
        await using (var server = await ProcessionalServer.ListenAsync(ServerTestKit.UnixEndpoint()))
        {
            await using var client = await SlaveProcess.ConnectAsync(server.Endpoint);
            var ex = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => client.StopServerAsync());
            Assert.Contains(nameof(ProcessionalServerOptions.ClientsMayStop), ex.Message, StringComparison.Ordinal);
            Assert.False(server.Completion.IsCompleted);
        }

        await using (var server = await ProcessionalServer.ListenAsync(ServerTestKit.UnixEndpoint(), new ProcessionalServerOptions { ClientsMayStop = true }))
        {
            await using var client = await SlaveProcess.ConnectAsync(server.Endpoint);
            await client.StopServerAsync();
            await server.Completion;
            await client.Exited;
            Assert.False(File.Exists(server.Endpoint.Address));
        }
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task The_host_stops_the_server_and_its_clients_see_the_connection_close()
    {
        var server = await ProcessionalServer.ListenAsync(ServerTestKit.UnixEndpoint());
        server.Expose<ISharedCounter>("counter", new SharedCounter(), DispatchPolicy.Concurrent);
        await using var client = await SlaveProcess.ConnectAsync(server.Endpoint);
        var pending = client.Get<ISharedCounter>("counter").WaitForeverAsync(CancellationToken.None);

        await server.StopAsync();

        await client.Exited;
        await Assert.ThrowsAsync<ConnectionLostException>(() => pending);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_server_may_stop_when_its_last_client_leaves()
    {
        await using var server = await ProcessionalServer.ListenAsync(ServerTestKit.UnixEndpoint(), new ProcessionalServerOptions { StopWhenLastClientDisconnects = true });
        var first = await SlaveProcess.ConnectAsync(server.Endpoint);
        var second = await SlaveProcess.ConnectAsync(server.Endpoint);

        await first.DisposeAsync();
        await WaitUntilAsync(() => server.ClientCount == 1);
        Assert.False(server.Completion.IsCompleted);
        await second.DisposeAsync();

        await server.Completion;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_unix_socket_file_is_owner_only_and_removed_when_the_server_stops()
    {
        var server = await ProcessionalServer.ListenAsync(ServerTestKit.UnixEndpoint());

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(server.Endpoint.Address));

        await server.StopAsync();
        Assert.False(File.Exists(server.Endpoint.Address));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task ConnectAsync_retries_until_the_server_is_up()
    {
        var endpoint = ServerTestKit.UnixEndpoint();
        var connecting = SlaveProcess.ConnectAsync(endpoint);
        Assert.False(connecting.IsCompleted);

        await using var server = await ProcessionalServer.ListenAsync(endpoint);
        await using var client = await connecting;

        await WaitUntilAsync(() => server.ClientCount == 1);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task ConnectAsync_times_out_naming_the_endpoint()
    {
        var endpoint = ServerTestKit.UnixEndpoint();

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => SlaveProcess.ConnectAsync(endpoint, new ConnectionOptions { ConnectTimeout = TimeSpan.FromMilliseconds(300) }));

        Assert.Contains(endpoint.ToString(), ex.Message, StringComparison.Ordinal);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        // Polls a condition that other threads make true (a connection's end is observed asynchronously).
        var deadline = DateTime.UtcNow + TestTimeouts.Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true in time.");
            await Task.Delay(5);
        }
    }

    private static async Task OpenAndDropAsync(SlaveProcess client) =>
        Assert.Equal("dropped", await (await client.Get<ISharedCounter>("counter").OpenSessionAsync("dropped")).NameAsync());
}
