using System.Diagnostics;
using Processional.Transport;

namespace Processional.Tests.Server;

public sealed class ServerProcessTests
{
    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_started_server_serves_other_clients_and_exits_when_the_last_one_leaves()
    {
        var endpoint = ServerTestKit.UnixEndpoint();
        var first = await SlaveProcess.StartServerAsync(endpoint.ToString());
        using var process = Process.GetProcessById(first.ProcessId);
        Assert.NotEqual(Environment.ProcessId, first.ProcessId);

        // The first client sets the server up; a second one uses what it exposed.
        await first.InvokeAsync(() => ProcessionalServer.Current!.Expose<ISharedCounter>("counter", new SharedCounter()));
        var second = await SlaveProcess.ConnectAsync(endpoint);
        await first.Get<ISharedCounter>("counter").AddAsync(2);
        Assert.Equal(5, await second.Get<ISharedCounter>("counter").AddAsync(3));
        Assert.Equal(first.ProcessId, await second.InvokeAsync(() => Environment.ProcessId));

        await first.DisposeAsync();
        Assert.Equal(6, await second.Get<ISharedCounter>("counter").AddAsync(1));
        Assert.False(process.HasExited);
        await second.DisposeAsync();

        await process.WaitForExitAsync();
        Assert.Equal(0, first.ExitCode);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_persistent_server_outlives_its_clients_until_one_stops_it()
    {
        var endpoint = ServerTestKit.UnixEndpoint();
        var first = await SlaveProcess.StartServerAsync(endpoint.ToString(), new ServerProcessOptions { Persistent = true });
        using var process = Process.GetProcessById(first.ProcessId);
        await first.InvokeAsync(() => ProcessionalServer.Current!.Expose<ISharedCounter>("counter", new SharedCounter()));
        await first.Get<ISharedCounter>("counter").AddAsync(10);
        await first.DisposeAsync();

        await using var later = await SlaveProcess.ConnectAsync(endpoint);
        Assert.Equal(11, await later.Get<ISharedCounter>("counter").AddAsync(1));
        Assert.False(process.HasExited);

        await later.StopServerAsync();

        await process.WaitForExitAsync();
        Assert.Equal(0, first.ExitCode);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_server_that_cannot_listen_reports_why()
    {
        var endpoint = ServerTestKit.UnixEndpoint();
        await using var squatter = await ProcessionalServer.ListenAsync(endpoint);

        // The endpoint is taken: the new server exits at once, and says so.
        var ex = await Assert.ThrowsAsync<SlaveCrashedException>(() => SlaveProcess.StartServerAsync(
            endpoint.ToString(), new ServerProcessOptions { Process = new SlaveProcessOptions { Output = SlaveOutput.Discard } }));

        Assert.Equal(71, ex.ExitCode);
        Assert.Contains("another listener", string.Join("\n", ex.StandardErrorTail), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_started_TCP_server_takes_the_secret_through_standard_input()
    {
        var secret = new ConnectionOptions { Secret = ServerTestKit.Secret };
        var port = FreePort();
        await using var first = await SlaveProcess.StartServerAsync($"tcp://127.0.0.1:{port}", new ServerProcessOptions { Connection = secret, AllowLambdas = true });

        Assert.Equal(first.ProcessId, await first.InvokeAsync(() => Environment.ProcessId));
        await Assert.ThrowsAsync<ProtocolException>(() => SlaveProcess.ConnectAsync($"tcp://127.0.0.1:{port}", new ConnectionOptions { Secret = new byte[32] }));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_server_whose_only_client_is_killed_exits()
    {
        var endpoint = ServerTestKit.UnixEndpoint().ToString();
        await using var starter = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "starter", Output = SlaveOutput.Discard });
        var serverPid = await starter.InvokeAsync(async () =>
        {
            StarterState.Client = await SlaveProcess.StartServerAsync(endpoint);
            return StarterState.Client.ProcessId;
        });
        using var server = Process.GetProcessById(serverPid);

        // kill -9 of the starter alone (not its process tree): its connection to the server drops.
        Assert.Equal(0, Kill(starter.ProcessId, 9));

        await server.WaitForExitAsync();
        await starter.Exited;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }
}

/// <summary>Keeps, in a slave process, the client of the server it started.</summary>
internal static class StarterState
{
    public static SlaveProcess? Client { get; set; }
}
