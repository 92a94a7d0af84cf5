using System.IO.Pipelines;
using System.Net.Sockets;

namespace Processional.Transport;

/// <summary>
/// A connected socket seen as an <see cref="IDuplexPipe"/>. The reader and the writer call the socket directly on the
/// caller's thread (no pump task): a flush is one <c>send</c> and a read one <c>recv</c>, so a write costs no
/// thread-pool hop. Disposing closes the socket, which ends any read that is still pending.
/// </summary>
internal sealed class SocketTransport : IDuplexPipe, IAsyncDisposable
{
    /// <summary>The reader's buffer: big enough that a bulk transfer needs few <c>recv</c> calls.</summary>
    internal const int ReadBufferSize = 256 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private int _disposed;

    public SocketTransport(Socket socket)
    {
        _socket = socket;
        if (socket.ProtocolType == ProtocolType.Tcp)
        {
            socket.NoDelay = true;
        }

        _stream = new NetworkStream(socket, ownsSocket: false);
        Input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: ReadBufferSize, minimumReadSize: ReadBufferSize / 4, leaveOpen: true));
        Output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024, leaveOpen: true));
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public Socket Socket => _socket;

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        try
        {
            // Shutdown first so that the peer sees an orderly end of stream even while a read of ours is pending.
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer: closing is all that is left.
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
        _stream.Dispose();
        return ValueTask.CompletedTask;
    }
}
