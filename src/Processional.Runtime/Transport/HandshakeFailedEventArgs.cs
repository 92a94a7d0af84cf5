namespace Processional.Transport;

/// <summary>Reports a connection that a <see cref="ConnectionListener"/> refused because its handshake failed.</summary>
public sealed class HandshakeFailedEventArgs : EventArgs
{
    /// <summary>Creates the report.</summary>
    /// <param name="exception">Why the handshake failed.</param>
    /// <param name="remoteAddress">The peer's address as the socket reports it, if known.</param>
    public HandshakeFailedEventArgs(Exception exception, string? remoteAddress)
    {
        Exception = exception;
        RemoteAddress = remoteAddress;
    }

    /// <summary>Why the handshake failed: usually a <see cref="ProtocolException"/> saying what was wrong.</summary>
    public Exception Exception { get; }

    /// <summary>The peer's address as the socket reports it (for TCP, its IP and port), if known.</summary>
    public string? RemoteAddress { get; }
}
