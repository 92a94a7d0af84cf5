using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="Nullable{T}"/>. When <typeparamref name="T"/> holds no references, the raw <c>Nullable&lt;T&gt;</c> struct
/// (its flag byte, padding, then the value at its aligned offset: <c>int?</c> 5 is <c>01 00 00 00 05 00 00 00</c>),
/// with padding and the value of a null written as zeros; a flag byte other than 0 or 1 is rejected. Otherwise an
/// object header of 1 and the value, or <c>255</c> for null (MemoryPack: <c>src/MemoryPack.Core/Formatters/NullableFormatter.cs</c>).
/// </summary>
/// <typeparam name="T">The underlying type.</typeparam>
public sealed class NullableFormatter<T> : ProcessionalFormatter<T?>
    where T : struct
{
    // Where the runtime puts the flag and the value inside Nullable<T>, found by looking rather than assumed.
    private static readonly int s_hasValueOffset = FindHasValueOffset();
    private static readonly int s_valueOffset = FindValueOffset();

    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static NullableFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref T? value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            var size = Unsafe.SizeOf<T?>();
            ref var destination = ref writer.GetSpanReference(size);
            Unsafe.InitBlockUnaligned(ref destination, 0, (uint)size);
            if (value.HasValue)
            {
                Unsafe.Add(ref destination, s_hasValueOffset) = 1;
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, s_valueOffset), value.GetValueOrDefault());
            }

            writer.Advance(size);
            return;
        }

        if (!value.HasValue)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader(1);
        writer.WriteValue(value.GetValueOrDefault());
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref T? value)
    {
        var offset = reader.Consumed;
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            var raw = reader.ReadRaw<T?>();
            var flag = Unsafe.Add(ref Unsafe.As<T?, byte>(ref raw), s_hasValueOffset);
            if (flag > 1)
            {
                ThrowHelper.ThrowInvalidValue(typeof(T?), $"its has-value byte is {flag}", offset);
            }

            value = flag == 0 ? null : Unsafe.ReadUnaligned<T>(ref Unsafe.Add(ref Unsafe.As<T?, byte>(ref raw), s_valueOffset));
            return;
        }

        if (!reader.TryReadObjectHeader(out var members))
        {
            value = null;
            return;
        }

        if (members != 1)
        {
            ThrowHelper.ThrowMemberCount(typeof(T?), 1, members, offset);
        }

        value = reader.ReadValue<T>();
    }

    private static int FindValueOffset()
    {
        T? probe = default(T);
        ref readonly var inside = ref Nullable.GetValueRefOrDefaultRef(in probe);
        return (int)Unsafe.ByteOffset(ref Unsafe.As<T?, byte>(ref probe), ref Unsafe.As<T, byte>(ref Unsafe.AsRef(in inside)));
    }

    private static int FindHasValueOffset()
    {
        // A null and a non-null holding all-zero bytes differ only in the flag.
        T? none = null;
        T? zero = default(T);
        var size = Unsafe.SizeOf<T?>();
        for (var i = 0; i < size; i++)
        {
            if (Unsafe.Add(ref Unsafe.As<T?, byte>(ref none), i) != Unsafe.Add(ref Unsafe.As<T?, byte>(ref zero), i))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"Cannot find the has-value flag of {typeof(T?)}.");
    }
}
