using System.Buffers;
using System.Runtime.CompilerServices;

namespace Processional.Serialization;

/// <summary>
/// Serializes values in MemoryPack's wire format, for standalone use. Every type that crosses a process boundary
/// gets a formatter from the source generator (a call of these methods with a known <c>T</c> is enough for the
/// generator to write one); built-in types work without it.
/// </summary>
public static class ProcessionalSerializer
{
    private const int MaxRetainedScratch = 1024 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    /// <summary>Writes <paramref name="value"/> into <paramref name="bufferWriter"/>.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <typeparam name="TBufferWriter">The type of the buffer writer (generic, so that its calls are direct).</typeparam>
    /// <param name="bufferWriter">Where the bytes go; reuse one to serialize without allocating.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ProcessionalSerializationException">No formatter knows a type in the value, or it nests too deeply.</exception>
    public static void Serialize<T, TBufferWriter>(in TBufferWriter bufferWriter, in T? value, ProcessionalSerializerOptions? options = null)
        where TBufferWriter : IBufferWriter<byte>
    {
        var writer = new ProcessionalWriter<TBufferWriter>(ref Unsafe.AsRef(in bufferWriter), options);
        writer.WriteValue(value);
        writer.Flush();
    }

    /// <summary>Writes <paramref name="value"/> into a new array.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ProcessionalSerializationException">No formatter knows a type in the value, or it nests too deeply.</exception>
    public static byte[] Serialize<T>(in T? value, ProcessionalSerializerOptions? options = null)
    {
        // Taken off the thread while in use, so that a formatter serializing something else on the way gets its own.
        var scratch = t_scratch ?? new ArrayBufferWriter<byte>(256);
        t_scratch = null;
        try
        {
            Serialize(scratch, value, options);
            return scratch.WrittenSpan.ToArray();
        }
        finally
        {
            // One large value must not pin a large buffer to the thread for good.
            if (scratch.Capacity <= MaxRetainedScratch)
            {
                scratch.ResetWrittenCount();
                t_scratch = scratch;
            }
        }
    }

    /// <summary>Reads a value of type <typeparamref name="T"/> that fills <paramref name="bytes"/> exactly.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="bytes">The bytes.</param>
    /// <param name="options">Options and limits; <see langword="null"/> for the defaults.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ProcessionalSerializationException">The bytes are truncated, corrupted, over a limit, or followed by more bytes.</exception>
    public static T? Deserialize<T>(ReadOnlySpan<byte> bytes, ProcessionalSerializerOptions? options = null)
    {
        var reader = new ProcessionalReader(bytes, options);
        var value = reader.ReadValue<T>();
        EnsureFullyConsumed(ref reader);
        return value;
    }

    /// <summary>Reads a value of type <typeparamref name="T"/> that fills <paramref name="bytes"/> exactly.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="bytes">The bytes.</param>
    /// <param name="options">Options and limits; <see langword="null"/> for the defaults.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ProcessionalSerializationException">The bytes are truncated, corrupted, over a limit, or followed by more bytes.</exception>
    public static T? Deserialize<T>(in ReadOnlySequence<byte> bytes, ProcessionalSerializerOptions? options = null)
    {
        var reader = new ProcessionalReader(bytes, options);
        var value = reader.ReadValue<T>();
        EnsureFullyConsumed(ref reader);
        return value;
    }

    /// <summary>Reads a value of type <typeparamref name="T"/> from the start of <paramref name="bytes"/>, which may hold more.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="bytes">The bytes.</param>
    /// <param name="value">Receives the value; a formatter may reuse an existing instance.</param>
    /// <param name="options">Options and limits; <see langword="null"/> for the defaults.</param>
    /// <returns>How many bytes the value took.</returns>
    /// <exception cref="ProcessionalSerializationException">The bytes are truncated, corrupted or over a limit.</exception>
    public static int Deserialize<T>(ReadOnlySpan<byte> bytes, ref T? value, ProcessionalSerializerOptions? options = null)
    {
        var reader = new ProcessionalReader(bytes, options);
        reader.ReadValue(ref value);
        return (int)reader.Consumed;
    }

    /// <summary>
    /// Writes <paramref name="value"/> to <paramref name="stream"/>. The value is serialized into pooled buffers first,
    /// then written with asynchronous writes; the stream is neither flushed nor closed.
    /// </summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="stream">Where the bytes go.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the writes to the stream.</param>
    /// <returns>A task that completes when the bytes are written.</returns>
    /// <exception cref="ProcessionalSerializationException">No formatter knows a type in the value, or it nests too deeply.</exception>
    public static async ValueTask SerializeAsync<T>(Stream stream, T? value, ProcessionalSerializerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new SegmentedBuffer();
        Serialize(buffer, value, options);
        await buffer.WriteToAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads <paramref name="stream"/> to its end into pooled buffers (at most
    /// <see cref="ProcessionalSerializerOptions.MaxStreamBytes"/> bytes), then reads one value of type
    /// <typeparamref name="T"/> that must fill those bytes exactly.
    /// </summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="stream">The bytes to read.</param>
    /// <param name="options">Options and limits; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the reads from the stream.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ProcessionalSerializationException">The stream is too long, or its bytes are truncated, corrupted, over a limit or followed by more bytes.</exception>
    public static async ValueTask<T?> DeserializeAsync<T>(Stream stream, ProcessionalSerializerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new SegmentedBuffer();
        await buffer.ReadFromAsync(stream, (options ?? ProcessionalSerializerOptions.Default).MaxStreamBytes, cancellationToken).ConfigureAwait(false);
        return Deserialize<T>(buffer.AsSequence(), options);
    }

    /// <summary>Reads a value of type <typeparamref name="T"/> from the start of <paramref name="bytes"/>, which may hold more.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="bytes">The bytes.</param>
    /// <param name="value">Receives the value; a formatter may reuse an existing instance.</param>
    /// <param name="options">Options and limits; <see langword="null"/> for the defaults.</param>
    /// <returns>How many bytes the value took.</returns>
    /// <exception cref="ProcessionalSerializationException">The bytes are truncated, corrupted or over a limit.</exception>
    public static long Deserialize<T>(in ReadOnlySequence<byte> bytes, ref T? value, ProcessionalSerializerOptions? options = null)
    {
        var reader = new ProcessionalReader(bytes, options);
        reader.ReadValue(ref value);
        return reader.Consumed;
    }

    private static void EnsureFullyConsumed(ref ProcessionalReader reader)
    {
        if (reader.Remaining != 0)
        {
            reader.ThrowInvalid($"{reader.Remaining} bytes follow the value");
        }
    }
}
