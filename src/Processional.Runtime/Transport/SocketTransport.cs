using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Processional.Transport;

/// <summary>
/// A connected socket seen as an <see cref="IDuplexPipe"/>, driven by a thread of its own instead of .NET's socket
/// engine: the receiving thread sleeps in the kernel (<c>poll</c>) until bytes arrive, receives them straight into the
/// input pipe's memory and, once a multiplexer reads the pipe (<see cref="ReadOnReceivingThread"/>), has the multiplexer
/// read it right there. A message thus costs one kernel wake-up, as with a blocking read of a raw socket; through
/// .NET's asynchronous sockets it costs two or three (the engine's epoll thread, then a thread-pool thread).
/// Writes go out on the writer's own thread (<see cref="SocketSender"/>).
/// </summary>
/// <remarks>
/// The socket is made non-blocking and never sees an asynchronous operation: one would register it with .NET's epoll
/// engine, whose thread would then wake for every byte received and for every byte the peer reads, even though nobody
/// waits there (measured: a 10 µs round trip becomes 17 µs on a 2-core machine). The price is a thread per connection,
/// plus a sending thread for a connection whose peer once read more slowly than this side wrote; a server with many
/// idle connections can use <see cref="AsyncSocketTransport"/> instead (<see cref="ConnectionOptions.DedicatedThreads"/>).
/// </remarks>
internal sealed class SocketTransport : IDuplexPipe, IAsyncDisposable
{
    /// <summary>
    /// The kernel buffer asked for in each direction. Bulk transfers need room for what flows while a writer is
    /// between two writes (a wake-up, a copy); the kernel takes the memory only while bytes are in flight.
    /// </summary>
    internal const int SocketBufferSize = 4 << 20;

    private const int MinimumReceiveSize = 64 * 1024;
    private const int MaximumReceiveSize = 1 << 20;

    // The input pipe holds back the receiving thread only when this much waits unread: more than the largest frame
    // (16 MiB) plus a receive, so that an incomplete frame, which its reader cannot consume yet, never stalls it.
    private const long PauseThreshold = 32L << 20;

    private readonly Socket _socket;
    private readonly Pipe _input;
    private readonly SocketSender _output;
    private readonly TaskCompletionSource _receiverEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _receiver;
    private readonly List<ArraySegment<byte>> _scatter = [];
    private readonly long _spinTicks;
    private long _sleeps;
    private volatile IDirectReceiver? _direct;
    private bool _spun;
    private int _disposed;

    public SocketTransport(Socket socket, TimeSpan receiveSpin = default)
    {
        _socket = socket;
        _spinTicks = (long)(receiveSpin.TotalSeconds * Stopwatch.Frequency);
        socket.Blocking = false;
        if (socket.ProtocolType == ProtocolType.Tcp)
        {
            socket.NoDelay = true;
        }

        TrySetBufferSizes(socket);
        _input = new Pipe(new PipeOptions(
            readerScheduler: PipeScheduler.ThreadPool,
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: PauseThreshold,
            resumeWriterThreshold: PauseThreshold / 2,
            minimumSegmentSize: MinimumReceiveSize,
            useSynchronizationContext: false));
        _output = new SocketSender(socket);
        _receiver = new Thread(static state => ((SocketTransport)state!).Receive())
        {
            IsBackground = true,
            Name = "Processional receiver",
        };
        _receiver.UnsafeStart(this);
    }

    public PipeReader Input => _input.Reader;

    public PipeWriter Output => _output;

    /// <summary>The socket (tests check that .NET's socket engine never saw it).</summary>
    internal Socket Socket => _socket;

    /// <summary>Completes when the receiving thread has ended.</summary>
    internal Task ReceiverEnded => _receiverEnded.Task;

    /// <summary>How many times the receiving thread went to sleep in the kernel (tests: a spin ends in a sleep).</summary>
    internal long Sleeps => Volatile.Read(ref _sleeps);

    /// <summary>Whether the sending thread was ever needed.</summary>
    internal bool HasSendingThread => _output.HasSendingThread;

    /// <summary>
    /// From now on, <paramref name="reader"/> reads the input on the receiving thread, where the bytes arrive: after
    /// each flush into the pipe (and after its completion) the thread calls <see cref="IDirectReceiver.Available"/>, and
    /// the reader takes what is there with <see cref="PipeReader.TryRead"/>. One wake-up per message, and no
    /// asynchronous machinery (which a slave would otherwise compile before its first call). The multiplexer calls it
    /// when it takes the connection over; until then (the handshake) the pipe is read asynchronously, with continuations
    /// on the thread pool, because they lead back into the caller's code.
    /// </summary>
    /// <param name="reader">The multiplexer; it also takes large payloads straight from the socket.</param>
    public void ReadOnReceivingThread(IDirectReceiver reader) => _direct = reader;

    /// <summary>Whether the caller runs on the receiving thread (inline, between two receives).</summary>
    public bool IsReceivingThread => Thread.CurrentThread == _receiver;

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        try
        {
            // Shutdown first: the peer sees an orderly end of stream, and our threads sleeping in poll wake up.
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer: closing is all that is left.
        }
        catch (ObjectDisposedException)
        {
        }

        // A receiving thread held back by a reader that stopped reading must wake up to see the end.
        _input.Writer.CancelPendingFlush();
        _output.Close();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private static void TrySetBufferSizes(Socket socket)
    {
        try
        {
            socket.SendBufferSize = SocketBufferSize;
            socket.ReceiveBufferSize = SocketBufferSize;
        }
        catch (SocketException)
        {
            // The system caps or refuses the size: its default works, only more slowly in bulk.
        }
    }

    private static FlushResult Wait(ValueTask<FlushResult> flush) => flush.AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// The socket is empty: spin for a while first if asked to (once per wait: after a spin that found nothing, sleep),
    /// then sleep in the kernel until bytes (or the end) arrive.
    /// </summary>
    private void WaitForBytes()
    {
        if (_spinTicks > 0 && !_spun)
        {
            _spun = true;
            var deadline = Stopwatch.GetTimestamp() + _spinTicks;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                if (_socket.Poll(0, SelectMode.SelectRead))
                {
                    return;
                }

                Thread.SpinWait(20);
            }

            return;
        }

        Volatile.Write(ref _sleeps, _sleeps + 1);
        _socket.Poll(-1, SelectMode.SelectRead);
    }

    /// <summary>
    /// Receives into the reader's own memory (<paramref name="target"/>) and, in the same call, up to
    /// <paramref name="then"/> following bytes into the input pipe. Returns false at the end of the stream;
    /// <paramref name="more"/> says whether bytes went into the pipe (to be flushed).
    /// </summary>
    private bool ReceiveDirect(IDirectReceiver direct, Memory<byte> target, int then, PipeWriter writer, out bool more)
    {
        more = false;
        if (!MemoryMarshal.TryGetArray<byte>(target, out var targetSegment))
        {
            throw new InvalidOperationException("A direct receive target must be an array's memory.");
        }

        while (true)
        {
            int received;
            SocketError status;
            if (then > 0 && MemoryMarshal.TryGetArray<byte>(writer.GetMemory(then), out var pipeSegment))
            {
                _scatter.Clear();
                _scatter.Add(targetSegment);
                _scatter.Add(pipeSegment[..then]);
                received = _socket.Receive(_scatter, SocketFlags.None, out status);
            }
            else
            {
                received = _socket.Receive(target.Span, SocketFlags.None, out status);
            }

            if (status == SocketError.WouldBlock)
            {
                WaitForBytes();
                continue;
            }

            _spun = false;
            if (status != SocketError.Success)
            {
                throw new SocketException((int)status);
            }

            if (received == 0)
            {
                return false;
            }

            var taken = Math.Min(received, target.Length);
            direct.DirectReceived(taken);
            if (received > taken)
            {
                writer.Advance(received - taken);
                more = true;
            }

            return true;
        }
    }

    /// <summary>The receiving thread: socket to input pipe, until the end of stream, an error or disposal.</summary>
    private void Receive()
    {
        var writer = _input.Writer;
        var size = MinimumReceiveSize;
        Exception? error = null;
        try
        {
            while (Volatile.Read(ref _disposed) == 0)
            {
                var direct = _direct;
                var then = 0;
                var target = direct is null ? default : direct.GetDirectTarget(out then);
                if (!target.IsEmpty)
                {
                    if (!ReceiveDirect(direct!, target, then, writer, out var more))
                    {
                        break;
                    }

                    if (!more)
                    {
                        continue;
                    }

                    var pushed = writer.FlushAsync();
                    direct!.Available();
                    if ((pushed.IsCompletedSuccessfully ? pushed.Result : Wait(pushed)).IsCompleted)
                    {
                        break;
                    }

                    continue;
                }

                // The reader may ask for just the bytes up to the next header (then > 0 with no target).
                var memory = then > 0 ? writer.GetMemory(then)[..then] : writer.GetMemory(size);
                var received = _socket.Receive(memory.Span, SocketFlags.None, out var status);
                if (status == SocketError.WouldBlock)
                {
                    WaitForBytes();
                    continue;
                }

                _spun = false;

                if (status != SocketError.Success)
                {
                    error = new SocketException((int)status);
                    break;
                }

                if (received == 0)
                {
                    break;
                }

                writer.Advance(received);

                // A receive that fills its buffer says more is waiting (a bulk transfer): take bigger bites.
                if (then == 0)
                {
                    size = received == memory.Length ? Math.Min(size * 2, MaximumReceiveSize) : MinimumReceiveSize;
                }

                // With the multiplexer reading, it reads here and now (read again: it may have taken over meanwhile,
                // after its own first look at the pipe).
                var flush = writer.FlushAsync();
                _direct?.Available();
                var result = flush.IsCompletedSuccessfully ? flush.Result : Wait(flush);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // Disposed under us: that is the end.
        }
#pragma warning disable CA1031 // Whatever the socket throws ends the stream; the reader sees it as an error.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = ex;
        }

        try
        {
            _direct?.DirectEnded();
            writer.Complete(error is null || Volatile.Read(ref _disposed) != 0 ? null : new IOException($"Receiving from the peer failed: {error.Message}", error));

            // The reader sees the end (or the error) here, as it saw the bytes.
            _direct?.Available();
        }
        finally
        {
            _receiverEnded.TrySetResult();
        }
    }
}
