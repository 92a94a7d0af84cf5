using Processional.Serialization;

namespace Processional.Rpc;

/// <summary>
/// An exception thrown in another process whose type is not known on this side (or not allowed to be created from
/// the wire): it carries the remote type's name, message and stack trace instead.
/// </summary>
public class RemoteException : Exception
{
    /// <summary>Creates an exception with no details.</summary>
    public RemoteException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message.</param>
    public RemoteException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The inner exception.</param>
    public RemoteException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception from what was captured remotely.</summary>
    /// <param name="info">The remote exception.</param>
    /// <param name="innerException">The remote inner exception, already converted.</param>
    public RemoteException(RemoteExceptionInfo info, Exception? innerException)
        : base(info?.Message, innerException)
    {
        ArgumentNullException.ThrowIfNull(info);
        RemoteTypeName = info.TypeName;
        RemoteStackTrace = info.StackTrace;
        HResult = info.HResult;
    }

    /// <summary>The full name of the exception's type in the remote process.</summary>
    public string? RemoteTypeName { get; }

    /// <summary>The stack trace of the exception in the remote process.</summary>
    public string? RemoteStackTrace { get; }

    /// <inheritdoc/>
    public override string ToString() => RemoteTypeName is null ? base.ToString() : $"{RemoteTypeName} (remote): {base.ToString()}";
}
