using System.Buffers;

namespace Processional.Multiplexing;

/// <summary>
/// Receives the messages of channel 0 in message mode (docs/protocol.md, "Messages"): the RPC layer's entry point.
/// Given to <see cref="Multiplexer.Start(Transport.Connection, Func{Multiplexer, IMessageHandler}, MultiplexerOptions?)"/>.
/// </summary>
/// <remarks>
/// <see cref="OnMessage"/> runs on the connection's reading thread, synchronously, once per message, in the order the
/// peer sent them, with nothing else read meanwhile. That is what makes a message cost one thread wake-up; it also
/// means the handler must not block: while it runs, no frame of this connection is read (not even the window updates
/// that let this side's writers go on). Work that may wait goes to another thread. A handler that throws closes the
/// connection: <see cref="Multiplexer.Completion"/> faults with a <see cref="Transport.ConnectionLostException"/> whose
/// inner exception is the handler's, and the peer is told why.
/// </remarks>
public interface IMessageHandler
{
    /// <summary>Handles one whole message.</summary>
    /// <param name="message">
    /// The message's bytes, valid only until this method returns (they are the connection's receive buffer): copy
    /// what must outlive the call.
    /// </param>
    void OnMessage(ReadOnlySequence<byte> message);
}
