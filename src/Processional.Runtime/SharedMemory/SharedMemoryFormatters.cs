using System.Diagnostics.CodeAnalysis;
using Processional.Serialization;

namespace Processional;

/// <summary>Writes a <see cref="SharedArray{T}"/> as its handle (<see cref="SharedMemoryHandle"/>); reading maps the same memory.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed unsafe class SharedArrayFormatter<T> : ProcessionalFormatter<SharedArray<T>>
    where T : unmanaged
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static SharedArrayFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref SharedArray<T>? value)
    {
        if (value is null)
        {
            writer.WriteUnmanaged(SharedMemoryHandle.KindNull);
            return;
        }

        SharedMemoryHandle.Write(ref writer, value.Lease.Get(value), value.ByteOffset, (long)value.Length * sizeof(T));
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref SharedArray<T>? value) =>
        value = SharedMemoryFormatter.ReadHandle(ref reader) is { } handle ? SharedArray<T>.FromHandle(handle) : null;
}

/// <summary>Writes a <see cref="SharedMemory"/> as its handle (<see cref="SharedMemoryHandle"/>); reading maps the same memory.</summary>
public sealed class SharedMemoryFormatter : ProcessionalFormatter<SharedMemory>
{
    /// <summary>The shared instance.</summary>
    public static SharedMemoryFormatter Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref SharedMemory? value)
    {
        if (value is null)
        {
            writer.WriteUnmanaged(SharedMemoryHandle.KindNull);
            return;
        }

        SharedMemoryHandle.Write(ref writer, value.Lease.Get(value), value.Offset, value.Length);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref SharedMemory? value) =>
        value = ReadHandle(ref reader) is { } handle ? SharedMemory.FromHandle(handle) : null;

    internal static SharedMemoryHandle? ReadHandle(ref ProcessionalReader reader)
    {
        var kind = reader.ReadByte();
        switch (kind)
        {
            case SharedMemoryHandle.KindNull:
                return null;
            case SharedMemoryHandle.KindRegion:
                return SharedMemoryHandle.ReadAfterKind(ref reader);
            default:
                reader.ThrowInvalid($"Shared memory handle kind {kind} is not 0 or 1");
                return null;
        }
    }
}
