using System.Collections.Immutable;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Processional.Serialization;

/// <summary>
/// The fewest bytes one value of <typeparamref name="T"/> takes on the wire. Readers multiply a collection's length by
/// it before allocating, so that a forged length cannot claim more elements than the remaining bytes could hold.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal static class WireSize<T>
{
    private static readonly int s_withReferences = RuntimeHelpers.IsReferenceOrContainsReferences<T>() ? ComputeWithReferences() : 1;

    /// <summary>
    /// The fewest bytes a value takes when written by its formatter: its size when that formatter writes the raw bytes,
    /// 4 for anything that starts with a length, else 1 (a header byte). A formatter registered for an unmanaged type
    /// may write fewer bytes than the type's size, so only the built-in raw formatters earn the exact size.
    /// </summary>
    public static int Minimum
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            {
                return ProcessionalFormatterProvider.GetFormatter<T>() is IRawFormatter ? Unsafe.SizeOf<T>() : 1;
            }

            return s_withReferences;
        }
    }

    private static int ComputeWithReferences()
    {
        var type = typeof(T);
        if (type == typeof(string) || type == typeof(Uri) || type == typeof(BigInteger) || type.IsSZArray)
        {
            return sizeof(int);
        }

        if (type.IsGenericType && LengthPrefixedTypes.Contains(type.GetGenericTypeDefinition()))
        {
            return sizeof(int);
        }

        // Objects, unions, nullables and multi-dimensional arrays start with a one-byte header; a value tuple with
        // references is at least one byte too. One byte is the safe floor for every type a formatter may write.
        return 1;
    }
}

/// <summary>Marks a formatter that writes a value as exactly its <c>Unsafe.SizeOf&lt;T&gt;()</c> raw bytes.</summary>
internal interface IRawFormatter
{
}

/// <summary>The generic collections whose wire form starts with an <see cref="int"/> length.</summary>
internal static class LengthPrefixedTypes
{
    private static readonly HashSet<Type> s_definitions =
    [
        typeof(List<>), typeof(Dictionary<,>), typeof(HashSet<>), typeof(SortedDictionary<,>), typeof(SortedSet<>),
        typeof(Queue<>), typeof(Stack<>), typeof(Memory<>), typeof(ReadOnlyMemory<>), typeof(ArraySegment<>),
        typeof(ImmutableArray<>), typeof(ImmutableList<>), typeof(ImmutableDictionary<,>), typeof(ImmutableHashSet<>),
        typeof(ImmutableSortedDictionary<,>), typeof(ImmutableSortedSet<>), typeof(ImmutableQueue<>), typeof(ImmutableStack<>),
        typeof(IList<>), typeof(IReadOnlyList<>), typeof(ICollection<>), typeof(IReadOnlyCollection<>), typeof(IEnumerable<>),
        typeof(IDictionary<,>), typeof(IReadOnlyDictionary<,>), typeof(ISet<>), typeof(IReadOnlySet<>),
    ];

    public static bool Contains(Type genericDefinition) => s_definitions.Contains(genericDefinition);
}
