using System.Diagnostics;
using System.Security.Cryptography;
using Processional.Multiplexing;
using Processional.Transport;
using static Processional.Tests.Multiplexing.ChannelIo;

namespace Processional.Tests.Transport;

/// <summary>The connection layer between this process and a child process (the test peer).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CrossProcessTests
{
    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_child_finds_its_parent_connection_and_many_interleaved_channels_stay_intact()
    {
        await using var listener = await ParentChildConnection.CreateListenerAsync();
        var socketDirectory = Path.GetDirectoryName(listener.Endpoint.Address)!;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(socketDirectory));
        var startInfo = TestPeerProcess.CreateStartInfo("child-echo");
        listener.ApplyTo(startInfo);
        using var child = TestPeerProcess.Start(startInfo);

        await using var multiplexer = Multiplexer.Start(await listener.AcceptAsync());

        Assert.Equal(child.Process.Id, multiplexer.Connection!.RemoteIdentity.ProcessId);
        Assert.True(multiplexer.Connection.IsAuthenticated);
        Assert.False(Directory.Exists(socketDirectory), "the socket and its directory are removed once the child is connected");

        var transfers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            var channel = multiplexer.OpenChannel();
            var data = RandomBytes((1 << 20) + (i * 4099), seed: 100 + i);
            var echo = HashToEndAsync(channel.Input);
            await WriteAllAsync(channel.Output, data, chunk: 7000 + (i * 1000));
            var (hash, length) = await echo;
            Assert.Equal(data.Length, length);
            Assert.Equal(SHA256.HashData(data), hash);
        })).ToArray();
        await multiplexer.RpcChannel.Output.WriteAsync("rpc"u8.ToArray());
        Assert.Equal("rpc"u8.ToArray(), await ReadExactlyAsync(multiplexer.RpcChannel.Input, 3));
        await Task.WhenAll(transfers);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Killing_the_peer_mid_transfer_fails_every_reader_within_a_second()
    {
        await using var listener = await ParentChildConnection.CreateListenerAsync();
        var startInfo = TestPeerProcess.CreateStartInfo("child-flood");
        listener.ApplyTo(startInfo);
        using var child = TestPeerProcess.Start(startInfo);
        await using var multiplexer = Multiplexer.Start(await listener.AcceptAsync());
        var flood = await multiplexer.AcceptChannelAsync();
        var rpcRead = multiplexer.RpcChannel.Input.ReadAsync().AsTask();

        // Mid-transfer: some megabytes have arrived, more are coming.
        long received = 0;
        while (received < 8 << 20)
        {
            var result = await flood.Input.ReadAsync();
            received += result.Buffer.Length;
            flood.Input.AdvanceTo(result.Buffer.End);
        }

        var watch = Stopwatch.StartNew();
        child.Process.Kill();
        await Assert.ThrowsAsync<ConnectionLostException>(async () =>
        {
            while (true)
            {
                var result = await flood.Input.ReadAsync();
                flood.Input.AdvanceTo(result.Buffer.End);
            }
        });
        var detected = watch.Elapsed;

        await Assert.ThrowsAsync<ConnectionLostException>(() => rpcRead);
        await Assert.ThrowsAsync<ConnectionLostException>(() => multiplexer.Completion);
        Assert.True(detected < TimeSpan.FromSeconds(1), $"the loss was detected after {detected}");
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_child_connects_over_tcp_with_a_shared_secret()
    {
        var secret = ConnectionOptions.CreateSecret();
        await using var listener = await ConnectionListener.ListenAsync(Endpoint.Parse("tcp://127.0.0.1:0"), new ConnectionOptions { Secret = secret });
        using var child = TestPeerProcess.Start(TestPeerProcess.CreateStartInfo("connect-echo", listener.LocalEndpoint.ToString(), Convert.ToBase64String(secret)));

        await using var multiplexer = Multiplexer.Start(await listener.AcceptAsync());
        var channel = multiplexer.OpenChannel();
        var data = RandomBytes(4 << 20, seed: 7);
        var echo = HashToEndAsync(channel.Input);
        await WriteAllAsync(channel.Output, data, chunk: 1 << 16);

        Assert.Equal(SHA256.HashData(data), (await echo).Hash);
        Assert.Equal(child.Process.Id, multiplexer.Connection!.RemoteIdentity.ProcessId);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_rogue_connection_to_the_parent_endpoint_is_refused_and_the_child_still_gets_in()
    {
        await using var listener = await ParentChildConnection.CreateListenerAsync();
        var refused = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.HandshakeFailed += (_, e) => refused.TrySetResult(e.Exception);

        // This process is not a child of itself: the kernel's credentials of the socket give it away before any handshake.
        await Assert.ThrowsAnyAsync<Exception>(() => Connection.ConnectAsync(listener.Endpoint));
        Assert.Contains($"process {Environment.ProcessId} is not a child", (await refused.Task).Message, StringComparison.Ordinal);

        var startInfo = TestPeerProcess.CreateStartInfo("child-echo");
        listener.ApplyTo(startInfo);
        using var child = TestPeerProcess.Start(startInfo);
        await using var connection = await listener.AcceptAsync();
        Assert.Equal(child.Process.Id, connection.RemoteIdentity.ProcessId);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task The_child_needs_no_secret_on_linux_and_gets_only_the_endpoint()
    {
        await using var listener = await ParentChildConnection.CreateListenerAsync();

        Assert.Equal([ParentChildConnection.EndpointVariable], listener.EnvironmentVariables.Keys);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_child_started_through_a_shell_is_a_descendant_and_gets_in()
    {
        await using var listener = await ParentChildConnection.CreateListenerAsync();
        var direct = TestPeerProcess.CreateStartInfo("child-echo");
        var shell = new System.Diagnostics.ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        shell.ArgumentList.Add("-c");
        shell.ArgumentList.Add("\"$0\" \"$@\"; exit $?");   // sh forks the peer as its child, then waits for it
        shell.ArgumentList.Add(direct.FileName);
        foreach (var argument in direct.ArgumentList)
        {
            shell.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in direct.Environment)
        {
            shell.Environment[name] = value;
        }

        listener.ApplyTo(shell);
        using var child = TestPeerProcess.Start(shell);
        await using var connection = await listener.AcceptAsync();

        Assert.NotEqual(child.Process.Id, connection.RemoteIdentity.ProcessId);
        Assert.Equal(child.Process.Id, PeerCredentials.ParentOf(connection.RemoteIdentity.ProcessId));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task The_socket_file_of_a_killed_listener_is_replaced_by_the_next()
    {
        using var dir = new TempSocketDirectory();
        var endpoint = Endpoint.Unix(dir.File("s.sock"));
        using (var first = TestPeerProcess.Start(TestPeerProcess.CreateStartInfo("listen", endpoint.ToString())))
        {
            Assert.Equal("ready", await first.Process.StandardOutput.ReadLineAsync());
            var inUse = await Assert.ThrowsAsync<IOException>(() => ConnectionListener.ListenAsync(endpoint));
            Assert.Contains("another listener is live", inUse.Message, StringComparison.Ordinal);
            first.Process.Kill();
            await first.Process.WaitForExitAsync();
        }

        Assert.True(File.Exists(endpoint.Address), "a killed listener leaves its socket file");
        await using var listener = await ConnectionListener.ListenAsync(endpoint);
        await using var client = await Connection.ConnectAsync(endpoint);
        await using var accepted = await listener.AcceptAsync();
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_process_without_a_parent_is_told_so()
    {
        Assert.False(ParentChildConnection.HasParent);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ParentChildConnection.ConnectToParentAsync());

        Assert.Contains(ParentChildConnection.EndpointVariable, error.Message, StringComparison.Ordinal);
    }
}
