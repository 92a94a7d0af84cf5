namespace Processional.Transport;

/// <summary>
/// The peer broke the Processional protocol: a wrong magic or version, a failed authentication, a malformed or
/// oversized frame, a frame for an unknown channel, or a handshake that stalled. Only the connection it happened on is
/// closed; the message says what was wrong and where.
/// </summary>
public class ProtocolException : IOException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ProtocolException()
        : base("The peer broke the Processional protocol.")
    {
    }

    /// <summary>Creates the exception with a message saying what was wrong.</summary>
    /// <param name="message">What was wrong and where.</param>
    public ProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that revealed the problem.</summary>
    /// <param name="message">What was wrong and where.</param>
    /// <param name="innerException">The exception that revealed the problem.</param>
    public ProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
