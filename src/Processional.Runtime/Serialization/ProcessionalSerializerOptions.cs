namespace Processional.Serialization;

/// <summary>Options of <see cref="ProcessionalSerializer"/>, the writer and the reader.</summary>
public sealed record ProcessionalSerializerOptions
{
    /// <summary>The defaults: UTF-8 strings, a nesting depth of 500, no length limit below the input's own size, streams up to 1 GiB.</summary>
    public static ProcessionalSerializerOptions Default { get; } = new();

    /// <summary>How strings are written. Default: <see cref="StringEncoding.Utf8"/>.</summary>
    public StringEncoding StringEncoding { get; init; } = StringEncoding.Utf8;

    /// <summary>
    /// The deepest nesting of objects and collections that is written or read; deeper input is rejected with a
    /// <see cref="ProcessionalSerializationException"/> instead of overflowing the stack (and a reference cycle is
    /// reported instead of looping). Default: 500.
    /// </summary>
    public int MaxDepth { get; init; } = 500;

    /// <summary>
    /// The largest collection length (element count) that is read. Lengths are always checked against the bytes that
    /// remain in the input as well; this bounds what a trusted-size input may allocate. Default: <see cref="int.MaxValue"/>.
    /// </summary>
    public int MaxCollectionLength { get; init; } = int.MaxValue;

    /// <summary>The largest string, in bytes on the wire, that is read. Default: <see cref="int.MaxValue"/>.</summary>
    public int MaxStringBytes { get; init; } = int.MaxValue;

    /// <summary>
    /// The most bytes <see cref="ProcessionalSerializer.DeserializeAsync{T}"/> reads from a stream before giving up with a
    /// <see cref="ProcessionalSerializationException"/>: the whole stream is buffered (in pooled segments) before it is
    /// read, so this bounds the memory one untrusted stream can take. Default: 1 GiB.
    /// </summary>
    public long MaxStreamBytes { get; init; } = 1L << 30;

    /// <summary>
    /// Carries large unmanaged arrays out of band (in shared memory), for connections to a process on the same machine;
    /// <see langword="null"/> (the default) writes every array inline.
    /// </summary>
    internal LargeArrayTransfer? LargeArrays { get; init; }
}
