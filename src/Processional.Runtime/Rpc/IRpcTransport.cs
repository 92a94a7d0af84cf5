using System.Buffers;

namespace Processional.Rpc;

/// <summary>
/// Carries whole RPC messages between two <see cref="RpcConnection"/>s, in order. Implemented over the multiplexer's
/// channel 0 and, for tests and in-process pairs, over memory.
/// </summary>
internal interface IRpcTransport : IAsyncDisposable
{
    /// <summary>Starts delivering the peer's messages to <paramref name="handler"/>, one at a time and in order.</summary>
    void Start(IRpcMessageHandler handler);

    /// <summary>
    /// Sends one message and takes ownership of <paramref name="message"/> (returned to its pool once written). Never
    /// blocks on the peer: a transport that cannot write now queues the message. Throws
    /// <see cref="Transport.ConnectionLostException"/> once the connection is gone.
    /// </summary>
    void Send(RpcMessageBuffer message);

    /// <summary>
    /// Sends several messages, in order, in as few writes as the transport can (replies to a burst of pipelined calls);
    /// takes ownership of every buffer. Same failure behaviour as <see cref="Send"/>.
    /// </summary>
    void SendMany(List<RpcMessageBuffer> messages);

    /// <summary>A description of the peer for error messages.</summary>
    string Description { get; }
}

/// <summary>Receives the messages of an <see cref="IRpcTransport"/>.</summary>
internal interface IRpcMessageHandler
{
    /// <summary>
    /// Handles one message. The bytes are only valid during the call. Calls never overlap. An exception thrown here
    /// closes the connection.
    /// </summary>
    void OnMessage(ReadOnlySequence<byte> message);

    /// <summary>Called once when no more messages will come, with the reason.</summary>
    void OnClosed(Exception reason);
}
