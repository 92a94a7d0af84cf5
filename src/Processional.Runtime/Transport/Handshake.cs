using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Processional.Transport;

/// <summary>
/// The handshake that opens every connection (docs/protocol.md, "Handshake"): both ends send a hello at once (magic,
/// version, role, whether they have a secret, a random nonce); with secrets, each proves it knows the secret with an
/// HMAC over both hellos; then each sends its identity (process id and program modules). Written by hand with
/// <see cref="BinaryPrimitives"/> so that it depends on no serializer.
/// </summary>
internal static class Handshake
{
    /// <summary>The protocol version this build speaks.</summary>
    public const ushort CurrentVersion = 1;

    /// <summary>"PRCN" in ASCII: the first four bytes of every connection.</summary>
    public const uint Magic = 0x4E435250;

    /// <summary>The hello has this size in every protocol version, so that a version mismatch is always read whole.</summary>
    public const int HelloLength = 40;

    public const int NonceLength = 32;
    public const int ProofLength = 32;

    /// <summary>The largest identity message accepted (its body, after the length).</summary>
    public const int MaxIdentityLength = 1 << 20;

    /// <summary>The longest assembly name accepted, in UTF-8 bytes.</summary>
    public const int MaxModuleNameLength = 1024;

    public const byte FlagHasSecret = 0x01;

    private static readonly byte[] s_clientLabel = "processional-v1 client proof"u8.ToArray();
    private static readonly byte[] s_serverLabel = "processional-v1 server proof"u8.ToArray();

    /// <summary>Runs the handshake on <paramref name="transport"/>; on success the reader is positioned after it.</summary>
    /// <param name="transport">The connected byte stream.</param>
    /// <param name="role">This side's role.</param>
    /// <param name="options">Secret, timeout, identity and version.</param>
    /// <param name="peer">How error messages name the peer, for example its endpoint.</param>
    /// <param name="cancellationToken">Cancels the handshake.</param>
    /// <returns>The peer's identity and whether it was authenticated.</returns>
    /// <exception cref="ProtocolException">The peer is not a Processional peer, speaks another version, failed authentication, sent a malformed identity, closed the connection or stalled.</exception>
    public static async Task<HandshakeResult> RunAsync(IDuplexPipe transport, ConnectionRole role, ConnectionOptions options, string peer, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.HandshakeTimeout != Timeout.InfiniteTimeSpan)
        {
            timeout.CancelAfter(options.HandshakeTimeout);
        }

        var state = new State(transport.Input, peer);
        try
        {
            return await RunCoreAsync(transport, role, options, state, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProtocolException(
                $"The handshake with {peer} did not complete within {options.HandshakeTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s: " +
                $"it stalled while {state.Stage} (received {state.Received} of {state.Expected} bytes).");
        }
        catch (IOException ex) when (ex is not ProtocolException)
        {
            throw new ProtocolException($"The handshake with {peer} failed while {state.Stage}: {ex.Message}", ex);
        }
    }

    /// <summary>Writes a hello: magic, version, role, flags, nonce (docs/protocol.md).</summary>
    internal static void WriteHello(Span<byte> destination, ushort version, ConnectionRole role, bool hasSecret, ReadOnlySpan<byte> nonce)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], version);
        destination[6] = role == ConnectionRole.Client ? (byte)0 : (byte)1;
        destination[7] = hasSecret ? FlagHasSecret : (byte)0;
        nonce[..NonceLength].CopyTo(destination[8..]);
    }

    /// <summary>The proof that <paramref name="role"/> knows the secret: HMAC-SHA256(secret, label, client hello, server hello).</summary>
    internal static byte[] ComputeProof(ReadOnlySpan<byte> secret, ConnectionRole role, ReadOnlySpan<byte> clientHello, ReadOnlySpan<byte> serverHello)
    {
        var label = role == ConnectionRole.Client ? s_clientLabel : s_serverLabel;
        Span<byte> message = stackalloc byte[s_clientLabel.Length + (2 * HelloLength)];
        label.CopyTo(message);
        clientHello.CopyTo(message[label.Length..]);
        serverHello.CopyTo(message[(label.Length + HelloLength)..]);
        return HMACSHA256.HashData(secret, message);
    }

    /// <summary>Encodes the identity message: body length, process id, module count, then name and MVID per module.</summary>
    internal static byte[] EncodeIdentity(int processId, ProgramIdentity program)
    {
        var length = 4 + 2;
        var modules = program.ModuleArray;
        foreach (var module in modules)
        {
            length += 2 + Encoding.UTF8.GetByteCount(module.Name) + 16;
        }

        if (length > MaxIdentityLength)
        {
            throw new InvalidOperationException($"The program identity is {length} bytes; the protocol allows {MaxIdentityLength}.");
        }

        var bytes = new byte[4 + length];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)length);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], processId);
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], (ushort)modules.Length);
        var offset = 10;
        foreach (var module in modules)
        {
            var nameLength = Encoding.UTF8.GetBytes(module.Name, span[(offset + 2)..]);
            if (nameLength > MaxModuleNameLength)
            {
                throw new InvalidOperationException($"The assembly name '{module.Name}' is longer than {MaxModuleNameLength} bytes.");
            }

            BinaryPrimitives.WriteUInt16LittleEndian(span[offset..], (ushort)nameLength);
            offset += 2 + nameLength;
            module.ModuleVersionId.TryWriteBytes(span[offset..]);
            offset += 16;
        }

        return bytes;
    }

    /// <summary>Decodes an identity body (after its length), checking every count and length against what remains.</summary>
    internal static PeerIdentity DecodeIdentity(ReadOnlySpan<byte> body, string peer)
    {
        if (body.Length < 6)
        {
            throw new ProtocolException($"The identity sent by {peer} is {body.Length} bytes; it needs at least 6.");
        }

        var processId = BinaryPrimitives.ReadInt32LittleEndian(body);
        var count = BinaryPrimitives.ReadUInt16LittleEndian(body[4..]);
        if (count > ProgramIdentity.MaxModules)
        {
            throw new ProtocolException($"The identity sent by {peer} lists {count} modules; at most {ProgramIdentity.MaxModules} are allowed.");
        }

        var modules = new ModuleIdentity[count];
        var offset = 6;
        for (var i = 0; i < count; i++)
        {
            if (body.Length - offset < 2)
            {
                throw new ProtocolException($"The identity sent by {peer} ends inside module {i} of {count} (at byte {offset} of {body.Length}).");
            }

            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(body[offset..]);
            offset += 2;
            if (nameLength > MaxModuleNameLength || body.Length - offset < nameLength + 16)
            {
                throw new ProtocolException(
                    $"The identity sent by {peer} gives module {i} a name of {nameLength} bytes, more than the {Math.Min(MaxModuleNameLength, Math.Max(0, body.Length - offset - 16))} allowed at byte {offset} of {body.Length}.");
            }

            string name;
            try
            {
                name = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body.Slice(offset, nameLength));
            }
            catch (DecoderFallbackException ex)
            {
                throw new ProtocolException($"The identity sent by {peer} has a module name that is not valid UTF-8 (module {i}, byte {offset}).", ex);
            }

            offset += nameLength;
            modules[i] = new ModuleIdentity(name, new Guid(body.Slice(offset, 16)));
            offset += 16;
        }

        if (offset != body.Length)
        {
            throw new ProtocolException($"The identity sent by {peer} has {body.Length - offset} bytes after its last module.");
        }

        return new PeerIdentity(processId, new ProgramIdentity(modules));
    }

    /// <summary>
    /// Runs the handshake on a connected socket in blocking mode, on the calling thread, without a timer: the socket's
    /// receive and send timeouts bound every wait. For a process with nothing else to do meanwhile — a slave connecting
    /// to its master — this costs a fraction of the asynchronous path's start-up (no state machines, pipes or timer thread).
    /// The steps and every check are those of <see cref="RunAsync"/>.
    /// </summary>
    /// <param name="socket">The connected socket.</param>
    /// <param name="role">This side's role.</param>
    /// <param name="options">Secret, timeout, identity and version.</param>
    /// <param name="peer">How error messages name the peer.</param>
    /// <param name="afterHelloSent">
    /// Runs once this side's hello is sent, before anything from the peer is read: work of this side's own that
    /// overlaps the peer's answer (a slave makes itself ready meanwhile), and the kernel's check of the peer.
    /// </param>
    public static HandshakeResult Run(System.Net.Sockets.Socket socket, ConnectionRole role, ConnectionOptions options, string peer, Action? afterHelloSent = null)
    {
        var timeout = options.HandshakeTimeout == Timeout.InfiniteTimeSpan ? 0 : (int)Math.Max(1, Math.Min(int.MaxValue, options.HandshakeTimeout.TotalMilliseconds));
        socket.Blocking = true;
        socket.ReceiveTimeout = timeout;
        socket.SendTimeout = timeout;
        var state = new BlockingHandshakeState(socket, peer, options.HandshakeTimeout);
        try
        {
            state.Begin("sending this side's hello", 0);
            var localHello = CreateHello(role, options);
            state.Send(localHello);
            afterHelloSent?.Invoke();

            state.Begin("waiting for the peer's hello", HelloLength);
            var remoteHello = new byte[HelloLength];
            state.Receive(remoteHello.AsSpan(0, 4));
            CheckMagic(remoteHello[..4], peer);
            state.Receive(remoteHello.AsSpan(4));
            CheckPeerHello(remoteHello, role, options, peer);

            if (options.HasSecret)
            {
                var (clientHello, serverHello) = role == ConnectionRole.Client ? (localHello, remoteHello) : (remoteHello, localHello);
                state.Begin("sending this side's proof of the secret", 0);
                state.Send(ComputeProof(options.Secret.Span, role, clientHello, serverHello));
                state.Begin("waiting for the peer's proof of the secret", ProofLength);
                var remoteProof = new byte[ProofLength];
                state.Receive(remoteProof);
                CheckProof(remoteProof, role, options, clientHello, serverHello, peer);
            }

            state.Begin("sending this side's identity", 0);
            state.Send(EncodeIdentity(Environment.ProcessId, options.Identity ?? ProgramIdentity.Current));

            state.Begin("waiting for the length of the peer's identity", 4);
            Span<byte> lengthBytes = stackalloc byte[4];
            state.Receive(lengthBytes);
            var length = CheckIdentityLength(lengthBytes, peer);

            state.Begin("waiting for the peer's identity", length);
            var body = new byte[length];
            state.Receive(body);
            return new HandshakeResult(DecodeIdentity(body, peer), options.HasSecret);
        }
        finally
        {
            socket.ReceiveTimeout = 0;
            socket.SendTimeout = 0;
        }
    }

    /// <summary>This side's hello. The nonce only salts the proofs of a secret: without one it is zeros (and the process needs no cryptography).</summary>
    private static byte[] CreateHello(ConnectionRole role, ConnectionOptions options)
    {
        var nonce = options.HasSecret ? NewNonce() : new byte[NonceLength];
        var hello = new byte[HelloLength];
        WriteHello(hello, options.ProtocolVersion, role, options.HasSecret, nonce);
        return hello;
    }

    /// <summary>The checks of the peer's hello after its magic: version, role, flags, and that both ends agree on having a secret.</summary>
    private static void CheckPeerHello(byte[] remoteHello, ConnectionRole role, ConnectionOptions options, string peer)
    {
        CheckHello(remoteHello, role, options.ProtocolVersion, peer);
        var remoteHasSecret = (remoteHello[7] & FlagHasSecret) != 0;
        if (options.HasSecret && !remoteHasSecret)
        {
            throw new ProtocolException($"Authentication with {peer} failed: this side requires a shared secret, but the peer has none configured.");
        }

        if (!options.HasSecret && remoteHasSecret)
        {
            throw new ProtocolException($"Authentication with {peer} failed: the peer requires a shared secret, but this side has none configured.");
        }
    }

    private static void CheckProof(byte[] remoteProof, ConnectionRole role, ConnectionOptions options, byte[] clientHello, byte[] serverHello, string peer)
    {
        var remoteRole = role == ConnectionRole.Client ? ConnectionRole.Server : ConnectionRole.Client;
        var expected = ComputeProof(options.Secret.Span, remoteRole, clientHello, serverHello);
        if (!CryptographicOperations.FixedTimeEquals(expected, remoteProof))
        {
            throw new ProtocolException($"Authentication with {peer} failed: its proof does not match this side's shared secret (the two ends have different secrets).");
        }
    }

    private static int CheckIdentityLength(ReadOnlySpan<byte> lengthBytes, string peer)
    {
        var length = BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        return length <= MaxIdentityLength
            ? (int)length
            : throw new ProtocolException($"The identity sent by {peer} claims {length} bytes; at most {MaxIdentityLength} are allowed.");
    }

    private static async Task<HandshakeResult> RunCoreAsync(IDuplexPipe transport, ConnectionRole role, ConnectionOptions options, State state, CancellationToken cancellationToken)
    {
        var peer = state.Peer;
        var output = transport.Output;

        state.Begin("sending this side's hello", 0);
        var localHello = CreateHello(role, options);
        await WriteAsync(output, localHello, cancellationToken).ConfigureAwait(false);

        // The magic is checked alone first, so that a stranger (an HTTP client, a port scanner) is refused at once
        // instead of when the handshake times out.
        state.Begin("waiting for the peer's hello", HelloLength);
        var magic = await state.ReadAsync(4, cancellationToken).ConfigureAwait(false);
        CheckMagic(magic, peer);
        var remoteHello = new byte[HelloLength];
        magic.CopyTo(remoteHello, 0);
        (await state.ReadAsync(HelloLength - 4, cancellationToken).ConfigureAwait(false)).CopyTo(remoteHello, 4);
        CheckPeerHello(remoteHello, role, options, peer);

        if (options.HasSecret)
        {
            await ExchangeProofsAsync(output, role, options, state, localHello, remoteHello, cancellationToken).ConfigureAwait(false);
        }

        state.Begin("sending this side's identity", 0);
        await WriteAsync(output, EncodeIdentity(Environment.ProcessId, options.Identity ?? ProgramIdentity.Current), cancellationToken).ConfigureAwait(false);

        state.Begin("waiting for the length of the peer's identity", 4);
        var length = CheckIdentityLength(await state.ReadAsync(4, cancellationToken).ConfigureAwait(false), peer);

        state.Begin("waiting for the peer's identity", length);
        var body = await state.ReadAsync(length, cancellationToken).ConfigureAwait(false);
        return new HandshakeResult(DecodeIdentity(body, peer), options.HasSecret);
    }

    // The cryptography lives in methods of its own, so that a process whose connections have no secret (a slave on Linux:
    // its parent connection is vouched for by the kernel) never loads OpenSSL.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static byte[] NewNonce() => RandomNumberGenerator.GetBytes(NonceLength);

    private static async Task ExchangeProofsAsync(PipeWriter output, ConnectionRole role, ConnectionOptions options, State state, byte[] localHello, byte[] remoteHello, CancellationToken cancellationToken)
    {
        var peer = state.Peer;
        var clientHello = role == ConnectionRole.Client ? localHello : remoteHello;
        var serverHello = role == ConnectionRole.Client ? remoteHello : localHello;
        state.Begin("sending this side's proof of the secret", 0);
        await WriteAsync(output, ComputeProof(options.Secret.Span, role, clientHello, serverHello), cancellationToken).ConfigureAwait(false);

        state.Begin("waiting for the peer's proof of the secret", ProofLength);
        var remoteProof = await state.ReadAsync(ProofLength, cancellationToken).ConfigureAwait(false);
        CheckProof(remoteProof, role, options, clientHello, serverHello, peer);
    }

    private static void CheckMagic(byte[] magic, string peer)
    {
        if (BinaryPrimitives.ReadUInt32LittleEndian(magic) != Magic)
        {
            var text = string.Create(magic.Length, magic, static (chars, bytes) =>
            {
                for (var i = 0; i < chars.Length; i++)
                {
                    chars[i] = bytes[i] is >= 0x20 and < 0x7F ? (char)bytes[i] : '.';
                }
            });
            throw new ProtocolException($"{peer} is not a Processional peer: its first bytes are {Convert.ToHexString(magic)} ('{text}'), not 5052434E ('PRCN').");
        }
    }

    private static void CheckHello(ReadOnlySpan<byte> hello, ConnectionRole role, ushort version, string peer)
    {
        var remoteVersion = BinaryPrimitives.ReadUInt16LittleEndian(hello[4..]);
        if (remoteVersion != version)
        {
            throw new ProtocolException($"Protocol version mismatch: {peer} speaks Processional protocol version {remoteVersion}; this side speaks version {version}.");
        }

        if (hello[6] > 1)
        {
            throw new ProtocolException($"The hello sent by {peer} has role byte {hello[6]}; only 0 (client) and 1 (server) exist.");
        }

        var remoteRole = hello[6] == 0 ? ConnectionRole.Client : ConnectionRole.Server;
        if (remoteRole == role)
        {
            throw new ProtocolException($"Both ends of the connection with {peer} claim to be the {role.ToString().ToLowerInvariant()}.");
        }

        if ((hello[7] & ~FlagHasSecret) != 0)
        {
            throw new ProtocolException($"The hello sent by {peer} has unknown flags 0x{hello[7]:X2}.");
        }
    }

    private static async ValueTask WriteAsync(PipeWriter output, byte[] bytes, CancellationToken cancellationToken)
    {
        output.Write(bytes);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where the handshake is, for error messages, and the reader that tracks how much has come in.</summary>
    private sealed class State(PipeReader input, string peer)
    {
        public string Peer { get; } = peer;

        public string Stage { get; private set; } = "starting";

        public long Received { get; private set; }

        public int Expected { get; private set; }

        public void Begin(string stage, int expected)
        {
            Stage = stage;
            Expected = expected;
            Received = 0;
        }

        public async ValueTask<byte[]> ReadAsync(int count, CancellationToken cancellationToken)
        {
            while (true)
            {
                var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                Received = buffer.Length;
                if (buffer.Length >= count)
                {
                    var bytes = buffer.Slice(0, count).ToArray();
                    input.AdvanceTo(buffer.GetPosition(count));
                    return bytes;
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                    throw new ProtocolException($"{Peer} closed the connection during the handshake while this side was {Stage} (received {buffer.Length} of {count} bytes).");
                }

                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }
}

/// <summary>The blocking driver's reads and writes, and where it is, for error messages.</summary>
internal sealed class BlockingHandshakeState(System.Net.Sockets.Socket socket, string peer, TimeSpan timeout)
{
    public string Stage { get; private set; } = "starting";

    public int Expected { get; private set; }

    public void Begin(string stage, int expected)
    {
        Stage = stage;
        Expected = expected;
    }

    public void Send(ReadOnlySpan<byte> bytes)
    {
        try
        {
            while (!bytes.IsEmpty)
            {
                bytes = bytes[socket.Send(bytes)..];
            }
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            throw Failure(ex, 0);
        }
    }

    public void Receive(Span<byte> destination)
    {
        var received = 0;
        try
        {
            while (received < destination.Length)
            {
                var n = socket.Receive(destination[received..]);
                if (n == 0)
                {
                    throw new ProtocolException($"{peer} closed the connection during the handshake while this side was {Stage} (received {received} of {destination.Length} bytes).");
                }

                received += n;
            }
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            throw Failure(ex, received);
        }
    }

    private ProtocolException Failure(System.Net.Sockets.SocketException ex, int received) =>
        ex.SocketErrorCode is System.Net.Sockets.SocketError.TimedOut or System.Net.Sockets.SocketError.WouldBlock
            ? new ProtocolException(
                $"The handshake with {peer} did not complete within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s: " +
                $"it stalled while {Stage} (received {received} of {Expected} bytes).")
            : new ProtocolException($"The handshake with {peer} failed while {Stage}: {ex.Message}", ex);
}

/// <summary>What a successful handshake learnt.</summary>
/// <param name="Remote">The peer's identity.</param>
/// <param name="Authenticated">Whether both ends proved the shared secret.</param>
internal sealed record HandshakeResult(PeerIdentity Remote, bool Authenticated);
