using System.IO.Pipelines;
using System.Net.Sockets;

namespace Processional.Transport;

/// <summary>
/// A connected socket seen as an <see cref="IDuplexPipe"/> through .NET's asynchronous sockets (a
/// <see cref="NetworkStream"/> under a stream pipe reader and writer): no thread of its own, so many connections cost
/// no threads, but every received message wakes .NET's socket engine thread and then a thread-pool thread. Used when
/// <see cref="ConnectionOptions.DedicatedThreads"/> is off; <see cref="SocketTransport"/> otherwise. Disposing closes
/// the socket, which ends any read that is still pending.
/// </summary>
internal sealed class AsyncSocketTransport : IDuplexPipe, IAsyncDisposable
{
    /// <summary>The reader's buffer: big enough that a bulk transfer needs few <c>recv</c> calls.</summary>
    internal const int ReadBufferSize = 256 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private int _disposed;

    public AsyncSocketTransport(Socket socket)
    {
        _socket = socket;

        // Connect leaves the socket non-blocking; a NetworkStream insists on a blocking one (its asynchronous
        // operations are unaffected).
        socket.Blocking = true;
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
