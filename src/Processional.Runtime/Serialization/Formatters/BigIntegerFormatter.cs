using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="BigInteger"/>: a collection of bytes — the byte count, then the two's-complement little-endian bytes of
/// <see cref="BigInteger.ToByteArray()"/> (MemoryPack: <c>src/MemoryPack.Core/Formatters/BigIntegerFormatter.cs</c>).
/// A null header reads as zero, like MemoryPack.
/// </summary>
public sealed class BigIntegerFormatter : ProcessionalFormatter<BigInteger>
{
    private const int StackLimit = 256;

    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static BigIntegerFormatter Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref BigInteger value)
    {
        var count = value.GetByteCount();
        ref var destination = ref writer.GetSpanReference(checked(count + sizeof(int)));
        MemoryMarshal.Write(MemoryMarshal.CreateSpan(ref destination, sizeof(int)), in count);
        value.TryWriteBytes(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref destination, sizeof(int)), count), out var written);
        writer.Advance(sizeof(int) + written);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref BigInteger value)
    {
        var offset = reader.Consumed;
        if (!reader.TryReadCollectionHeader(out var count))
        {
            value = default;
            return;
        }

        byte[]? rented = null;
        var bytes = count <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(count));
        try
        {
            bytes = bytes[..count];
            reader.ReadBlock(bytes);
            value = new BigInteger(bytes);
        }
        catch (OverflowException ex)
        {
            ThrowHelper.ThrowInvalid($"A BigInteger of {count} bytes is too large for this runtime", offset, ex);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
