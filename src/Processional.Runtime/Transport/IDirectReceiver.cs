namespace Processional.Transport;

/// <summary>
/// Lets the reader of a <see cref="SocketTransport"/> take bytes straight from the socket into memory of its own,
/// bypassing the input pipe: the multiplexer uses it for the rest of a large Data frame, received into the channel's
/// own buffer, so that bulk data is copied once (by the kernel) instead of twice. Called on the receiving thread only,
/// between two deliveries to the input pipe, when the pipe's reader has consumed everything.
/// </summary>
internal interface IDirectReceiver
{
    /// <summary>
    /// Where the next bytes of the stream go, or empty memory to receive into the input pipe as usual. The memory must
    /// be an array's (a gather receive takes array segments).
    /// </summary>
    /// <param name="then">
    /// How many bytes after the target may be received into the input pipe in the same call (the next frame's header);
    /// with no target, how many bytes at most the next receive into the pipe should take (0: as many as are there).
    /// </param>
    Memory<byte> GetDirectTarget(out int then);

    /// <summary><paramref name="count"/> bytes were received into the memory <see cref="GetDirectTarget"/> returned.</summary>
    void DirectReceived(int count);

    /// <summary>The receiving thread is ending (end of stream, error, disposal): give up a direct target still held.</summary>
    void DirectEnded();

    /// <summary>
    /// Bytes were flushed into the input pipe, or it was completed: read them now (<see cref="System.IO.Pipelines.PipeReader.TryRead"/>),
    /// on the receiving thread. The reader never waits on the pipe asynchronously.
    /// </summary>
    void Available();
}
