using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Processional.Transport;

namespace Processional.Tests.Server;

public sealed class TlsTests
{
    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Calls_travel_over_TLS_with_a_certificate_made_by_the_test()
    {
        using var certificate = ServerTestKit.CreateCertificate("processional-test-server");
        await using var server = await ProcessionalServer.ListenAsync(ServerTestKit.AnyTcp, new ProcessionalServerOptions
        {
            Connection = new ConnectionOptions { Secret = ServerTestKit.Secret, ServerTls = new SslServerAuthenticationOptions { ServerCertificate = certificate } },
        });
        server.Expose<ISharedCounter>("counter", new SharedCounter());

        X509Certificate? seen = null;
        await using var client = await SlaveProcess.ConnectAsync(server.Endpoint, new ConnectionOptions
        {
            Secret = ServerTestKit.Secret,
            ClientTls = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, cert, _, _) => Pins(seen = cert, certificate) },
        });

        Assert.Equal(9, await client.Get<ISharedCounter>("counter").AddAsync(9));
        Assert.NotNull(seen);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_client_that_does_not_trust_the_server_certificate_is_not_connected()
    {
        using var certificate = ServerTestKit.CreateCertificate("processional-test-server");
        await using var server = await ProcessionalServer.ListenAsync(ServerTestKit.AnyTcp, new ProcessionalServerOptions
        {
            Connection = new ConnectionOptions { Secret = ServerTestKit.Secret, ServerTls = new SslServerAuthenticationOptions { ServerCertificate = certificate } },
        });

        // The default validation refuses a self-signed certificate.
        await Assert.ThrowsAsync<ProtocolException>(() => SlaveProcess.ConnectAsync(server.Endpoint, new ConnectionOptions
        {
            Secret = ServerTestKit.Secret,
            ClientTls = new SslClientAuthenticationOptions(),
        }));

        // Nor does a client speaking plain Processional to a TLS server get anywhere.
        await Assert.ThrowsAsync<ProtocolException>(() => SlaveProcess.ConnectAsync(server.Endpoint, new ConnectionOptions
        {
            Secret = ServerTestKit.Secret,
            HandshakeTimeout = TimeSpan.FromSeconds(2),
        }));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_required_client_certificate_admits_its_holder_and_refuses_others()
    {
        using var serverCertificate = ServerTestKit.CreateCertificate("processional-test-server");
        using var clientCertificate = ServerTestKit.CreateCertificate("processional-test-client");
        using var strangerCertificate = ServerTestKit.CreateCertificate("stranger");
        var logger = new ListLogger();

        // No secret: on TCP, a required client certificate authenticates clients instead.
        await using var server = await ProcessionalServer.ListenAsync(ServerTestKit.AnyTcp, new ProcessionalServerOptions
        {
            Logger = logger,
            Connection = new ConnectionOptions
            {
                ServerTls = new SslServerAuthenticationOptions
                {
                    ServerCertificate = serverCertificate,
                    ClientCertificateRequired = true,
                    RemoteCertificateValidationCallback = (_, cert, _, _) => Pins(cert, clientCertificate),
                },
            },
        });
        server.Expose<ISharedCounter>("counter", new SharedCounter());

        ConnectionOptions As(X509Certificate2? certificate) => new()
        {
            HandshakeTimeout = TimeSpan.FromSeconds(5),
            ClientTls = new SslClientAuthenticationOptions
            {
                ClientCertificates = certificate is null ? null : [certificate],
                RemoteCertificateValidationCallback = (_, cert, _, _) => Pins(cert, serverCertificate),
            },
        };

        await using var holder = await SlaveProcess.ConnectAsync(server.Endpoint, As(clientCertificate));
        Assert.Equal(1, await holder.Get<ISharedCounter>("counter").AddAsync(1));

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var stranger = await SlaveProcess.ConnectAsync(server.Endpoint, As(strangerCertificate));
            await stranger.Get<ISharedCounter>("counter").AddAsync(1);
        });
        await logger.WaitForAsync("Refused a connection");
        Assert.Equal(2, await holder.Get<ISharedCounter>("counter").AddAsync(1));
        Assert.Equal(1, server.ClientCount);
    }

    private static bool Pins(X509Certificate? presented, X509Certificate2 expected) =>
        presented is not null && presented.GetCertHashString() == expected.Thumbprint;
}
