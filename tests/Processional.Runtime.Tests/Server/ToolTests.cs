using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Processional.Transport;

namespace Processional.Tests.Server;

/// <summary>What <c>processional serve --assembly Processional.Runtime.Tests.dll</c> serves.</summary>
public sealed class ToolTestStartup : IProcessionalStartup
{
    public void Configure(ProcessionalServer server) => server.Expose<ISharedCounter>("counter", new SharedCounter());
}

public sealed partial class ToolTests
{
    private const int SigTerm = 15;

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Help_lists_the_serve_options()
    {
        var (code, output, _) = await RunToCompletionAsync("serve", "--help");

        Assert.Equal(0, code);
        foreach (var option in new[] { "--endpoint", "--assembly", "--secret-file", "--persistent", "--tls-cert" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    [Theory(Timeout = TestTimeouts.Long)]
    [InlineData("missing options", "serve")]
    [InlineData("Unrecognized", "serve", "--endpoint", "unix:/tmp/x.sock", "--assembly", "x.dll", "--bogus")]
    [InlineData("not a valid endpoint", "serve", "--endpoint", "nowhere", "--assembly", "{self}")]
    [InlineData("no file at", "serve", "--endpoint", "unix:/tmp/x.sock", "--assembly", "/no/such/App.dll")]
    [InlineData("needs --secret-file", "serve", "--endpoint", "tcp://127.0.0.1:0", "--assembly", "{self}")]
    [InlineData("no file at", "serve", "--endpoint", "tcp://127.0.0.1:0", "--assembly", "{self}", "--secret-file", "/no/such/secret")]
    [InlineData("needs --tls-cert", "serve", "--endpoint", "unix:/tmp/x.sock", "--assembly", "{self}", "--require-client-cert")]
    public async Task Bad_arguments_exit_with_code_2_and_say_what_is_wrong(string expected, params string[] args)
    {
        var (code, _, errors) = await RunToCompletionAsync(args.Select(a => a == "{self}" ? typeof(ToolTests).Assembly.Location : a).ToArray());

        Assert.Equal(2, code);
        Assert.Contains(expected == "missing options" ? "is required" : expected, errors, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Serve_serves_an_assemblys_objects_over_TCP_and_stops_on_SIGTERM()
    {
        var secretFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(secretFile, Encoding.UTF8.GetString(ServerTestKit.Secret) + "\n");
        var port = FreePort();
        using var tool = StartTool("serve", "--endpoint", $"tcp://127.0.0.1:{port}", "--assembly", typeof(ToolTests).Assembly.Location, "--secret-file", secretFile, "--persistent");
        try
        {
            await using (var client = await SlaveProcess.ConnectAsync($"tcp://127.0.0.1:{port}", new ConnectionOptions { Secret = ServerTestKit.Secret, ConnectTimeout = TimeSpan.FromSeconds(20) }))
            {
                Assert.Equal(tool.Process.Id, client.ProcessId);
                Assert.Equal(5, await client.Get<ISharedCounter>("counter").AddAsync(5));
            }

            // Persistent: still there for the next client.
            await using (var client = await SlaveProcess.ConnectAsync($"tcp://127.0.0.1:{port}", new ConnectionOptions { Secret = ServerTestKit.Secret }))
            {
                Assert.Equal(6, await client.Get<ISharedCounter>("counter").AddAsync(1));
                var ex = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => client.InvokeAsync(() => 1));
                Assert.Contains("AllowLambdas", ex.Message, StringComparison.Ordinal);
            }

            Assert.Equal(0, Kill(tool.Process.Id, SigTerm));
            await tool.Process.WaitForExitAsync();
            Assert.Equal(0, tool.Process.ExitCode);
            Assert.Contains("SIGTERM: stopping", tool.Errors, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secretFile);
        }
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Serve_serves_over_TLS_with_a_certificate_file_and_requires_client_certificates_when_asked()
    {
        using var serverCertificate = ServerTestKit.CreateCertificate("processional-tool-server");
        using var clientCertificate = ServerTestKit.CreateCertificate("processional-tool-client");
        var pfx = Path.GetTempFileName();
        var passwordFile = Path.GetTempFileName();
        await File.WriteAllBytesAsync(pfx, serverCertificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "pfx password"));
        await File.WriteAllTextAsync(passwordFile, "pfx password\n");
        var secretFile = Path.GetTempFileName();
        await File.WriteAllBytesAsync(secretFile, ServerTestKit.Secret);
        var port = FreePort();
        using var tool = StartTool("serve", "--endpoint", $"tcp://127.0.0.1:{port}", "--assembly", typeof(ToolTests).Assembly.Location,
            "--tls-cert", pfx, "--tls-cert-password-file", passwordFile, "--require-client-cert");
        try
        {
            // TLS with a secret: a client that pins the server's certificate calls it.
            var tlsPort = FreePort();
            using (var tlsTool = StartTool("serve", "--endpoint", $"tcp://127.0.0.1:{tlsPort}", "--assembly", typeof(ToolTests).Assembly.Location,
                "--tls-cert", pfx, "--tls-cert-password-file", passwordFile, "--secret-file", secretFile))
            {
                await using var client = await SlaveProcess.ConnectAsync($"tcp://127.0.0.1:{tlsPort}", new ConnectionOptions
                {
                    Secret = ServerTestKit.Secret,
                    ConnectTimeout = TimeSpan.FromSeconds(20),
                    ClientTls = new System.Net.Security.SslClientAuthenticationOptions
                    {
                        RemoteCertificateValidationCallback = (_, cert, _, _) => cert?.GetCertHashString() == serverCertificate.Thumbprint,
                    },
                });
                Assert.Equal(7, await client.Get<ISharedCounter>("counter").AddAsync(7));
            }

            // The system does not trust a test's self-signed client certificate: the server refuses it, and says so.
            var tls = new System.Net.Security.SslClientAuthenticationOptions
            {
                ClientCertificates = [clientCertificate],
                RemoteCertificateValidationCallback = (_, cert, _, _) => cert?.GetCertHashString() == serverCertificate.Thumbprint,
            };
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await using var client = await SlaveProcess.ConnectAsync($"tcp://127.0.0.1:{port}", new ConnectionOptions { ClientTls = tls, ConnectTimeout = TimeSpan.FromSeconds(20) });
                await client.Get<ISharedCounter>("counter").AddAsync(1);
            });

            await WaitForAsync(() => tool.Errors.Contains("Refused a connection", StringComparison.Ordinal));
            Assert.False(tool.Process.HasExited);
        }
        finally
        {
            File.Delete(pfx);
            File.Delete(passwordFile);
            File.Delete(secretFile);
        }
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Serve_exits_when_its_last_client_leaves_unless_persistent()
    {
        var endpoint = ServerTestKit.UnixEndpoint();
        using var tool = StartTool("serve", "--endpoint", endpoint.ToString(), "--assembly", typeof(ToolTests).Assembly.Location);

        await using (var client = await SlaveProcess.ConnectAsync(endpoint, new ConnectionOptions { ConnectTimeout = TimeSpan.FromSeconds(20) }))
        {
            Assert.Equal(2, await client.Get<ISharedCounter>("counter").AddAsync(2));
        }

        await tool.Process.WaitForExitAsync();
        Assert.Equal(0, tool.Process.ExitCode);
        Assert.Contains("Client 1 connected", tool.Errors, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Errors)> RunToCompletionAsync(params string[] args)
    {
        using var tool = StartTool(args);
        var output = await tool.Process.StandardOutput.ReadToEndAsync();
        await tool.Process.WaitForExitAsync();
        return (tool.Process.ExitCode, output, tool.Errors);
    }

    private static Transport.TestPeerProcess StartTool(params string[] args)
    {
        var info = Transport.TestPeerProcess.CreateStartInfo();
        info.ArgumentList[0] = ToolAssembly();
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Transport.TestPeerProcess.Start(info);
    }

    private static string ToolAssembly()
    {
        // bin/<Configuration>/net10.0 of this test project, mirrored in the tool's project folder.
        var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = baseDirectory.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(root, "src", "Processional.Tool", "bin", baseDirectory.Parent.Name, baseDirectory.Name, "processional.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"The tool is not built at {path}.");
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        // Polls the tool's standard error, which another thread collects.
        var deadline = DateTime.UtcNow + TestTimeouts.Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The tool did not log what was expected in time.");
            await Task.Delay(20);
        }
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
