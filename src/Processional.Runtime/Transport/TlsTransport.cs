using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;

namespace Processional.Transport;

/// <summary>
/// A socket wrapped in an <see cref="SslStream"/>, as a duplex pipe: TLS is negotiated first, and the Processional
/// handshake then runs inside it (so the secret's proofs, the identities and every message are encrypted).
/// </summary>
internal sealed class TlsTransport : IDuplexPipe, IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SslStream _ssl;
    private int _disposed;

    private TlsTransport(Socket socket, SslStream ssl)
    {
        _socket = socket;
        _ssl = ssl;
        Input = PipeReader.Create(ssl, new StreamPipeReaderOptions(leaveOpen: true));
        Output = PipeWriter.Create(ssl, new StreamPipeWriterOptions(leaveOpen: true));
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    /// <summary>Negotiates TLS as the server over an accepted socket; owns the socket from now on (closes it on failure).</summary>
    public static Task<TlsTransport> AuthenticateAsServerAsync(Socket socket, SslServerAuthenticationOptions tls, TimeSpan timeout, string peer, CancellationToken cancellationToken) =>
        AuthenticateAsync(socket, timeout, peer, (ssl, token) => ssl.AuthenticateAsServerAsync(tls, token), cancellationToken);

    /// <summary>Negotiates TLS as the client over a connected socket; owns the socket from now on (closes it on failure).</summary>
    public static Task<TlsTransport> AuthenticateAsClientAsync(Socket socket, SslClientAuthenticationOptions tls, TimeSpan timeout, string peer, CancellationToken cancellationToken) =>
        AuthenticateAsync(socket, timeout, peer, (ssl, token) => ssl.AuthenticateAsClientAsync(tls, token), cancellationToken);

    private static async Task<TlsTransport> AuthenticateAsync(Socket socket, TimeSpan timeout, string peer, Func<SslStream, CancellationToken, Task> authenticate, CancellationToken cancellationToken)
    {
        SslStream? ssl = null;
        try
        {
            // NetworkStream needs a blocking socket; its asynchronous operations do not block threads.
            socket.Blocking = true;
            ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (timeout != Timeout.InfiniteTimeSpan)
            {
                deadline.CancelAfter(timeout);
            }

            try
            {
                await authenticate(ssl, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ProtocolException($"TLS with {peer} was not negotiated within {timeout.TotalSeconds:0.###} s.", ex);
            }
            catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException)
            {
                throw new ProtocolException($"TLS with {peer} failed: {ex.Message}", ex);
            }

            return new TlsTransport(socket, ssl);
        }
        catch
        {
            if (ssl is not null)
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // The socket goes first: that ends a read or write still pending on the stream, whatever the peer does.
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
        try
        {
            await _ssl.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
        }

        await CompleteQuietlyAsync(Input.CompleteAsync()).ConfigureAwait(false);
        await CompleteQuietlyAsync(Output.CompleteAsync()).ConfigureAwait(false);
    }

    private static async ValueTask CompleteQuietlyAsync(ValueTask completion)
    {
        try
        {
            await completion.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The stream is gone; whatever completing the pipe over it says no longer matters.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
