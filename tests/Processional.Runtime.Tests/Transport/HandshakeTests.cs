using System.Buffers.Binary;
using System.IO.Pipelines;
using Processional.Tests.Multiplexing;
using Processional.Transport;

namespace Processional.Tests.Transport;

public sealed class HandshakeTests
{
    private static readonly byte[] s_secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Both_ends_learn_each_other_s_process_and_program()
    {
        var pipes = DuplexPipePair.Create();
        var clientIdentity = new ProgramIdentity([new ModuleIdentity("ClientApp", Guid.NewGuid()), new ModuleIdentity("Shared", Guid.NewGuid())]);
        var serverIdentity = new ProgramIdentity([new ModuleIdentity("ServerApp", Guid.NewGuid())]);

        var client = Connection.EstablishAsync(pipes.Client, ConnectionRole.Client, new ConnectionOptions { Identity = clientIdentity, Secret = s_secret });
        var server = Connection.EstablishAsync(pipes.Server, ConnectionRole.Server, new ConnectionOptions { Identity = serverIdentity, Secret = s_secret });
        await using var c = await client;
        await using var s = await server;

        Assert.Equal(serverIdentity, c.RemoteIdentity.Program);
        Assert.Equal(clientIdentity, s.RemoteIdentity.Program);
        Assert.Equal(Environment.ProcessId, c.RemoteIdentity.ProcessId);
        Assert.True(c.IsAuthenticated);
        Assert.True(s.IsAuthenticated);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Without_secrets_on_either_side_the_connection_is_unauthenticated_but_works()
    {
        var pipes = DuplexPipePair.Create();

        var results = await Task.WhenAll(
            Connection.EstablishAsync(pipes.Client, ConnectionRole.Client),
            Connection.EstablishAsync(pipes.Server, ConnectionRole.Server));

        Assert.All(results, c => Assert.False(c.IsAuthenticated));
        Assert.Equal(ProgramIdentity.Current, results[0].RemoteIdentity.Program);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_wrong_secret_fails_on_both_sides_with_a_clear_error()
    {
        var (client, server) = await HandshakeBothAsync(
            new ConnectionOptions { Secret = s_secret },
            new ConnectionOptions { Secret = s_secret.Reverse().ToArray() });

        Assert.Contains("different secrets", client.Message, StringComparison.Ordinal);
        Assert.Contains("different secrets", server.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_missing_secret_fails_on_both_sides_saying_which_side_lacks_it()
    {
        var (client, server) = await HandshakeBothAsync(new ConnectionOptions(), new ConnectionOptions { Secret = s_secret });

        Assert.Contains("this side has none configured", client.Message, StringComparison.Ordinal);
        Assert.Contains("the peer has none configured", server.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_version_mismatch_fails_on_both_sides_naming_both_versions()
    {
        var (client, server) = await HandshakeBothAsync(new ConnectionOptions { ProtocolVersion = 2 }, new ConnectionOptions());

        Assert.Contains("speaks Processional protocol version 1; this side speaks version 2", client.Message, StringComparison.Ordinal);
        Assert.Contains("speaks Processional protocol version 2; this side speaks version 1", server.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_handshake_that_stalls_times_out_with_a_ProtocolException_saying_where()
    {
        var pipes = DuplexPipePair.Create();

        // The peer sends half a hello and then nothing.
        await pipes.Client.Output.WriteAsync(Convert.FromHexString("5052434E01000000"));
        var error = await Assert.ThrowsAsync<ProtocolException>(() =>
            Connection.EstablishAsync(pipes.Server, ConnectionRole.Server, new ConnectionOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(200) }));

        Assert.Contains("did not complete within 0.2 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("waiting for the peer's hello (received 4 of 40 bytes)", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_stranger_is_refused_at_its_first_bytes()
    {
        var pipes = DuplexPipePair.Create();
        await pipes.Client.Output.WriteAsync("GET / HTTP/1.1\r\n"u8.ToArray());

        var error = await Assert.ThrowsAsync<ProtocolException>(() => Connection.EstablishAsync(pipes.Server, ConnectionRole.Server));

        Assert.Contains("is not a Processional peer", error.Message, StringComparison.Ordinal);
        Assert.Contains("'GET '", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Two_clients_are_refused()
    {
        var pipes = DuplexPipePair.Create();

        var results = await Task.WhenAll(
            Catch(Connection.EstablishAsync(pipes.Client, ConnectionRole.Client)),
            Catch(Connection.EstablishAsync(pipes.Server, ConnectionRole.Client)));

        Assert.All(results, e => Assert.Contains("claim to be the client", e.Message, StringComparison.Ordinal));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task The_hello_matches_the_documented_bytes()
    {
        await Task.Yield();
        var nonce = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var hello = new byte[Handshake.HelloLength];

        Handshake.WriteHello(hello, 1, ConnectionRole.Server, hasSecret: true, nonce);

        Assert.Equal("5052434E" + "0100" + "01" + "01" + "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F", Convert.ToHexString(hello));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task The_proofs_match_the_documented_bytes()
    {
        await Task.Yield();
        var secret = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var clientHello = new byte[Handshake.HelloLength];
        var serverHello = new byte[Handshake.HelloLength];
        Handshake.WriteHello(clientHello, 1, ConnectionRole.Client, true, new byte[32]);
        Handshake.WriteHello(serverHello, 1, ConnectionRole.Server, true, Enumerable.Repeat((byte)0xFF, 32).ToArray());

        var clientProof = Handshake.ComputeProof(secret, ConnectionRole.Client, clientHello, serverHello);
        var serverProof = Handshake.ComputeProof(secret, ConnectionRole.Server, clientHello, serverHello);

        Assert.Equal(ProtocolVectors.ClientProof, Convert.ToHexString(clientProof));
        Assert.Equal(ProtocolVectors.ServerProof, Convert.ToHexString(serverProof));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task The_identity_matches_the_documented_bytes_and_decodes_back()
    {
        await Task.Yield();
        var program = new ProgramIdentity([new ModuleIdentity("App", Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"))]);

        var bytes = Handshake.EncodeIdentity(1234, program);

        Assert.Equal("1B000000" + "D2040000" + "0100" + "0300" + "417070" + "33221100554477668899AABBCCDDEEFF", Convert.ToHexString(bytes));
        var decoded = Handshake.DecodeIdentity(bytes.AsSpan(4), "test");
        Assert.Equal(1234, decoded.ProcessId);
        Assert.Equal(program, decoded.Program);
    }

    [Theory(Timeout = TestTimeouts.Short)]
    [InlineData("D2040000", "needs at least 6")]
    [InlineData("D20400000100", "ends inside module 0")]
    [InlineData("D204000001000500417070", "name of 5 bytes")]
    [InlineData("D2040000010001004133221100554477668899AABBCCDDEEFF00", "1 bytes after its last module")]
    [InlineData("D2040000FFFF", "lists 65535 modules")]
    [InlineData("D20400000100010080" + "33221100554477668899AABBCCDDEEFF", "not valid UTF-8")]
    public async Task A_malformed_identity_is_rejected_saying_what_is_wrong(string hex, string problem)
    {
        await Task.Yield();
        var error = Assert.Throws<ProtocolException>(() => Handshake.DecodeIdentity(Convert.FromHexString(hex), "the peer"));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task An_identity_length_over_the_limit_is_refused_before_reading_it()
    {
        var pipes = DuplexPipePair.Create();
        var hello = new byte[Handshake.HelloLength];
        Handshake.WriteHello(hello, 1, ConnectionRole.Client, false, new byte[32]);
        var tooLong = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(tooLong, Handshake.MaxIdentityLength + 1);
        await pipes.Client.Output.WriteAsync(hello.Concat(tooLong).ToArray());

        var error = await Assert.ThrowsAsync<ProtocolException>(() => Connection.EstablishAsync(pipes.Server, ConnectionRole.Server));

        Assert.Contains("claims 1048577 bytes", error.Message, StringComparison.Ordinal);
    }

    private static async Task<(ProtocolException Client, ProtocolException Server)> HandshakeBothAsync(ConnectionOptions client, ConnectionOptions server)
    {
        var pipes = DuplexPipePair.Create();
        var results = await Task.WhenAll(
            Catch(Connection.EstablishAsync(pipes.Client, ConnectionRole.Client, client)),
            Catch(Connection.EstablishAsync(pipes.Server, ConnectionRole.Server, server)));
        return (results[0], results[1]);
    }

    private static async Task<ProtocolException> Catch(Task<Connection> handshake)
    {
        try
        {
            await handshake;
        }
        catch (ProtocolException ex)
        {
            return ex;
        }

        throw new Xunit.Sdk.XunitException("The handshake should have failed.");
    }
}

/// <summary>The test vectors of docs/protocol.md that are hashes.</summary>
internal static class ProtocolVectors
{
    public const string ClientProof = "84C7EF7812CAC2A09132BFD4F48B15255E6A0CC75F85003CC30A093C94ED40FF";
    public const string ServerProof = "9D36BFE6DB7CEAA58DF41097350E409D693EA1A4B40F4E3BE0FFB9CF8B78D753";
}
