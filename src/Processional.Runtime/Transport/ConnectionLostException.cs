namespace Processional.Transport;

/// <summary>
/// The connection to the peer ended while this operation needed it: the peer process died or closed the connection,
/// the socket failed, a heartbeat went unanswered, or the connection was closed because of a
/// <see cref="ProtocolException"/> (then the <see cref="Exception.InnerException"/>).
/// </summary>
public class ConnectionLostException : IOException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ConnectionLostException()
        : base("The connection to the peer was lost.")
    {
    }

    /// <summary>Creates the exception with a message saying how the connection ended.</summary>
    /// <param name="message">How the connection ended.</param>
    public ConnectionLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that ended the connection.</summary>
    /// <param name="message">How the connection ended.</param>
    /// <param name="innerException">The exception that ended the connection.</param>
    public ConnectionLostException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
