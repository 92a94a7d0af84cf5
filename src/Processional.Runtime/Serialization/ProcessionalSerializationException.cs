namespace Processional.Serialization;

/// <summary>
/// The one exception that serialization throws for input it cannot read (truncated, oversized, corrupted or nested
/// too deeply) and for values it cannot write (a type with no formatter, a reference cycle). The message says what was
/// wrong, and <see cref="Offset"/> where in the input it was found.
/// </summary>
public sealed class ProcessionalSerializationException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What was wrong.</param>
    public ProcessionalSerializationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ProcessionalSerializationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for bad input found at <paramref name="offset"/>.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="offset">The offset in the input, in bytes from its start, where the problem was found.</param>
    public ProcessionalSerializationException(string message, long offset)
        : base($"{message} (at offset {offset})")
    {
        Offset = offset;
    }

    /// <summary>Creates an exception for bad input found at <paramref name="offset"/>, caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="offset">The offset in the input, in bytes from its start, where the problem was found.</param>
    /// <param name="innerException">The cause.</param>
    public ProcessionalSerializationException(string message, long offset, Exception? innerException)
        : base($"{message} (at offset {offset})", innerException)
    {
        Offset = offset;
    }

    /// <summary>Creates an exception with neither message nor cause.</summary>
    public ProcessionalSerializationException()
    {
    }

    /// <summary>The offset in the input, in bytes from its start, where bad input was found; <see langword="null"/> when writing.</summary>
    public long? Offset { get; }
}
