using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization;

/// <summary>Throw sites of serialization, kept out of the hot paths.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowInvalid(string message, long offset) =>
        throw new ProcessionalSerializationException(message, offset);

    [DoesNotReturn]
    public static void ThrowInvalid(string message, long offset, Exception innerException) =>
        throw new ProcessionalSerializationException(message, offset, innerException);

    [DoesNotReturn]
    public static void ThrowTruncated(long needed, long remaining, long offset) =>
        throw new ProcessionalSerializationException($"Input ends too early: {needed} more bytes needed, {remaining} remain", offset);

    [DoesNotReturn]
    public static void ThrowTooManyMembers(int memberCount) =>
        throw new ProcessionalSerializationException($"An object cannot have {memberCount} members: the wire format allows at most 249.");

    [DoesNotReturn]
    public static void ThrowWriteDepthExceeded(int maxDepth, Type type) =>
        throw new ProcessionalSerializationException(
            $"Nesting deeper than {maxDepth} levels while writing {type}: the value is too deep or contains a reference cycle (references are written by value).");

    [DoesNotReturn]
    public static void ThrowBufferWriterTooSmall(int requested, int received) =>
        throw new InvalidOperationException($"The buffer writer returned {received} bytes when asked for at least {requested}.");

    [DoesNotReturn]
    public static void ThrowNoFormatter(Type type) =>
        throw new ProcessionalSerializationException(
            $"No formatter is registered for type '{type}'. Types that cross a boundary get one from Processional's source generator " +
            "(reference the Processional.Generators analyzer and use the type in a ProcessionalSerializer call, a [Remote] signature or a capture), " +
            "or register one with ProcessionalFormatterProvider.Register.");

    [DoesNotReturn]
    public static void ThrowMemberCount(Type type, int expected, int actual, long offset) =>
        throw new ProcessionalSerializationException($"{type} is written with {expected} members, but the header says {actual}", offset);

    [DoesNotReturn]
    public static void ThrowNullKey(Type type, long offset) =>
        throw new ProcessionalSerializationException($"A key of {type} is null", offset);

    [DoesNotReturn]
    public static void ThrowDuplicate(Type type, long offset) =>
        throw new ProcessionalSerializationException($"{type} holds the same key or element twice", offset);

    [DoesNotReturn]
    public static void ThrowCollectionChanged(Type type) =>
        throw new ProcessionalSerializationException($"The {type} changed while it was being written: its count did not match its elements.");

    [DoesNotReturn]
    public static void ThrowInvalidValue(Type type, string why, long offset) =>
        throw new ProcessionalSerializationException($"Not a valid {type}: {why}", offset);
}
