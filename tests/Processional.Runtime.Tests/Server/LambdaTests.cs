using Processional.Transport;

namespace Processional.Tests.Server;

public sealed class LambdaTests
{
    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Clients_of_the_same_program_send_lambdas_over_a_unix_socket_by_default()
    {
        await using var server = await ProcessionalServer.ListenAsync(ServerTestKit.UnixEndpoint());
        await using var client = await SlaveProcess.ConnectAsync(server.Endpoint);
        var n = 20;

        var result = await client.InvokeAsync(() => n + 22);

        Assert.Equal(42, result);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Lambdas_are_refused_over_TCP_unless_the_server_allows_them()
    {
        await using var server = await ProcessionalServer.ListenAsync(ServerTestKit.AnyTcp, new ProcessionalServerOptions { Connection = ServerTestKit.WithSecret });
        await using var client = await SlaveProcess.ConnectAsync(server.Endpoint, ServerTestKit.WithSecret);

        var ex = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => client.InvokeAsync(() => 1));

        Assert.Contains(nameof(ProcessionalServerOptions.AllowLambdas), ex.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_server_may_allow_lambdas_over_TCP_or_refuse_them_on_a_unix_socket()
    {
        await using (var server = await ProcessionalServer.ListenAsync(ServerTestKit.AnyTcp, new ProcessionalServerOptions { Connection = ServerTestKit.WithSecret, AllowLambdas = true }))
        {
            await using var client = await SlaveProcess.ConnectAsync(server.Endpoint, ServerTestKit.WithSecret);
            Assert.Equal(Environment.ProcessId, await client.InvokeAsync(() => Environment.ProcessId));
        }

        await using (var server = await ProcessionalServer.ListenAsync(ServerTestKit.UnixEndpoint(), new ProcessionalServerOptions { AllowLambdas = false }))
        {
            await using var client = await SlaveProcess.ConnectAsync(server.Endpoint);
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => client.InvokeAsync(() => 1));
        }
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Lambdas_from_a_client_running_another_program_are_refused_even_when_allowed()
    {
        await using var server = await ProcessionalServer.ListenAsync(ServerTestKit.UnixEndpoint(), new ProcessionalServerOptions { AllowLambdas = true });
        var stranger = new ConnectionOptions { Identity = new ProgramIdentity([new ModuleIdentity("OtherApp", Guid.NewGuid())]) };
        await using var client = await SlaveProcess.ConnectAsync(server.Endpoint, stranger);

        var ex = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => client.InvokeAsync(() => 1));

        Assert.Contains("same program", ex.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_client_that_is_not_a_server_client_cannot_stop_a_server()
    {
        await using var slave = await SlaveProcess.StartAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => slave.StopServerAsync());
    }
}
