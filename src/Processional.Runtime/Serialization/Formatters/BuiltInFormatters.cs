using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Processional.Serialization.Formatters;

/// <summary>
/// Creates the formatter of a built-in type on first use: exact types from a switch, types without references as
/// their raw bytes, and closed generic types (collections, tuples, nullables of reference-holding structs) by closing
/// the matching open formatter over the type's arguments. Element formatters are not resolved here but by the
/// formatters themselves on each call, so that an element type registered later (by generated code) is used.
/// </summary>
internal static class BuiltInFormatters
{
    private static readonly Dictionary<Type, Type> s_genericFormatters = new()
    {
        [typeof(List<>)] = typeof(ListFormatter<>),
        [typeof(Memory<>)] = typeof(MemoryFormatter<>),
        [typeof(ReadOnlyMemory<>)] = typeof(ReadOnlyMemoryFormatter<>),
        [typeof(ArraySegment<>)] = typeof(ArraySegmentFormatter<>),
        [typeof(Dictionary<,>)] = typeof(DictionaryFormatter<,>),
        [typeof(SortedDictionary<,>)] = typeof(SortedDictionaryFormatter<,>),
        [typeof(HashSet<>)] = typeof(HashSetFormatter<>),
        [typeof(SortedSet<>)] = typeof(SortedSetFormatter<>),
        [typeof(Queue<>)] = typeof(QueueFormatter<>),
        [typeof(Stack<>)] = typeof(StackFormatter<>),
        [typeof(ImmutableArray<>)] = typeof(ImmutableArrayFormatter<>),
        [typeof(ImmutableList<>)] = typeof(ImmutableListFormatter<>),
        [typeof(ImmutableDictionary<,>)] = typeof(ImmutableDictionaryFormatter<,>),
        [typeof(ImmutableHashSet<>)] = typeof(ImmutableHashSetFormatter<>),
        [typeof(ImmutableSortedDictionary<,>)] = typeof(ImmutableSortedDictionaryFormatter<,>),
        [typeof(ImmutableSortedSet<>)] = typeof(ImmutableSortedSetFormatter<>),
        [typeof(ImmutableQueue<>)] = typeof(ImmutableQueueFormatter<>),
        [typeof(ImmutableStack<>)] = typeof(ImmutableStackFormatter<>),
        [typeof(IEnumerable<>)] = typeof(InterfaceEnumerableFormatter<>),
        [typeof(ICollection<>)] = typeof(InterfaceCollectionFormatter<>),
        [typeof(IReadOnlyCollection<>)] = typeof(InterfaceReadOnlyCollectionFormatter<>),
        [typeof(IList<>)] = typeof(InterfaceListFormatter<>),
        [typeof(IReadOnlyList<>)] = typeof(InterfaceReadOnlyListFormatter<>),
        [typeof(ISet<>)] = typeof(InterfaceSetFormatter<>),
        [typeof(IReadOnlySet<>)] = typeof(InterfaceReadOnlySetFormatter<>),
        [typeof(IDictionary<,>)] = typeof(InterfaceDictionaryFormatter<,>),
        [typeof(IReadOnlyDictionary<,>)] = typeof(InterfaceReadOnlyDictionaryFormatter<,>),
        [typeof(Nullable<>)] = typeof(NullableFormatter<>),
        [typeof(KeyValuePair<,>)] = typeof(KeyValuePairFormatter<,>),
        [typeof(ValueTuple<>)] = typeof(ValueTupleFormatter<>),
        [typeof(ValueTuple<,>)] = typeof(ValueTupleFormatter<,>),
        [typeof(ValueTuple<,,>)] = typeof(ValueTupleFormatter<,,>),
        [typeof(ValueTuple<,,,>)] = typeof(ValueTupleFormatter<,,,>),
        [typeof(ValueTuple<,,,,>)] = typeof(ValueTupleFormatter<,,,,>),
        [typeof(ValueTuple<,,,,,>)] = typeof(ValueTupleFormatter<,,,,,>),
        [typeof(ValueTuple<,,,,,,>)] = typeof(ValueTupleFormatter<,,,,,,>),
        [typeof(ValueTuple<,,,,,,,>)] = typeof(ValueTupleFormatter<,,,,,,,>),
        [typeof(Tuple<>)] = typeof(TupleFormatter<>),
        [typeof(Tuple<,>)] = typeof(TupleFormatter<,>),
        [typeof(Tuple<,,>)] = typeof(TupleFormatter<,,>),
        [typeof(Tuple<,,,>)] = typeof(TupleFormatter<,,,>),
        [typeof(Tuple<,,,,>)] = typeof(TupleFormatter<,,,,>),
        [typeof(Tuple<,,,,,>)] = typeof(TupleFormatter<,,,,,>),
        [typeof(Tuple<,,,,,,>)] = typeof(TupleFormatter<,,,,,,>),
        [typeof(Tuple<,,,,,,,>)] = typeof(TupleFormatter<,,,,,,,>),
        [typeof(SharedArray<>)] = typeof(SharedArrayFormatter<>),
    };

    public static ProcessionalFormatter<T>? Create<T>()
    {
        if (CreateExact(typeof(T)) is ProcessionalFormatter<T> exact)
        {
            return exact;
        }

        if (!RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            // A nullable gets its flag byte checked and its padding zeroed; everything else without references
            // (primitives, enums, Guid, Half, Int128, TimeSpan, user structs, tuples and pairs of such) is its raw bytes.
            if (Nullable.GetUnderlyingType(typeof(T)) is not null && CreateGeneric(typeof(T)) is ProcessionalFormatter<T> nullable)
            {
                return nullable;
            }

            return RawFormatter<T>.Instance;
        }

        return CreateGeneric(typeof(T)) as ProcessionalFormatter<T>;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static object? OutsideCoreLibrary(Type type) =>
        type == typeof(BigInteger) ? BigIntegerFormatter.Instance
        : type == typeof(Uri) ? UriFormatter.Instance
        : null;

    /// <summary>The types with a formatter of their own, and the commonest closed generics, which need no reflection.</summary>
    private static object? CreateExact(Type type)
    {
        if (type == typeof(string))
        {
            return StringFormatter.Instance;
        }

        if (type == typeof(decimal))
        {
            return DecimalFormatter.Instance;
        }

        if (type == typeof(DateTime))
        {
            return DateTimeFormatter.Instance;
        }

        if (type == typeof(DateTimeOffset))
        {
            return DateTimeOffsetFormatter.Instance;
        }

        if (type == typeof(DateOnly))
        {
            return DateOnlyFormatter.Instance;
        }

        if (type == typeof(TimeOnly))
        {
            return TimeOnlyFormatter.Instance;
        }

        // BigInteger and Uri live in assemblies of their own: asked by name first, so that a process that never
        // serializes them does not load those assemblies when this method is compiled.
        if (type.Name is "BigInteger" or "Uri" && OutsideCoreLibrary(type) is { } other)
        {
            return other;
        }

        if (type == typeof(Version))
        {
            return VersionFormatter.Instance;
        }

        if (type == typeof(RemoteExceptionInfo))
        {
            return RemoteExceptionInfoFormatter.Instance;
        }

        if (type == typeof(SharedMemory))
        {
            return SharedMemoryFormatter.Instance;
        }

        if (type == typeof(SharedSequence))
        {
            return SharedSequenceFormatter.Instance;
        }

        if (type.IsSZArray)
        {
            return CreateExactArray(type);
        }

        if (type == typeof(int?))
        {
            return NullableFormatter<int>.Instance;
        }

        if (type == typeof(long?))
        {
            return NullableFormatter<long>.Instance;
        }

        if (type == typeof(double?))
        {
            return NullableFormatter<double>.Instance;
        }

        if (type == typeof(bool?))
        {
            return NullableFormatter<bool>.Instance;
        }

        if (type == typeof(Guid?))
        {
            return NullableFormatter<Guid>.Instance;
        }

        if (type == typeof(DateTime?))
        {
            return NullableFormatter<DateTime>.Instance;
        }

        if (type == typeof(List<string>))
        {
            return ListFormatter<string>.Instance;
        }

        if (type == typeof(List<int>))
        {
            return ListFormatter<int>.Instance;
        }

        if (type == typeof(Dictionary<string, string>))
        {
            return DictionaryFormatter<string, string>.Instance;
        }

        if (type == typeof(Dictionary<string, int>))
        {
            return DictionaryFormatter<string, int>.Instance;
        }

        return null;
    }

    private static object? CreateExactArray(Type type)
    {
        var element = type.GetElementType();
        if (element == typeof(byte))
        {
            return UnmanagedArrayFormatter<byte>.Instance;
        }

        if (element == typeof(sbyte))
        {
            return UnmanagedArrayFormatter<sbyte>.Instance;
        }

        if (element == typeof(short))
        {
            return UnmanagedArrayFormatter<short>.Instance;
        }

        if (element == typeof(ushort))
        {
            return UnmanagedArrayFormatter<ushort>.Instance;
        }

        if (element == typeof(int))
        {
            return UnmanagedArrayFormatter<int>.Instance;
        }

        if (element == typeof(uint))
        {
            return UnmanagedArrayFormatter<uint>.Instance;
        }

        if (element == typeof(long))
        {
            return UnmanagedArrayFormatter<long>.Instance;
        }

        if (element == typeof(ulong))
        {
            return UnmanagedArrayFormatter<ulong>.Instance;
        }

        if (element == typeof(float))
        {
            return UnmanagedArrayFormatter<float>.Instance;
        }

        if (element == typeof(double))
        {
            return UnmanagedArrayFormatter<double>.Instance;
        }

        if (element == typeof(char))
        {
            return UnmanagedArrayFormatter<char>.Instance;
        }

        if (element == typeof(bool))
        {
            return UnmanagedArrayFormatter<bool>.Instance;
        }

        if (element == typeof(decimal))
        {
            return UnmanagedArrayFormatter<decimal>.Instance;
        }

        if (element == typeof(Guid))
        {
            return UnmanagedArrayFormatter<Guid>.Instance;
        }

        if (element == typeof(DateTime))
        {
            return UnmanagedArrayFormatter<DateTime>.Instance;
        }

        if (element == typeof(string))
        {
            return ArrayFormatter<string>.Instance;
        }

        return null;
    }

    /// <summary>
    /// Closes the open formatter of a generic collection, tuple, nullable or array type over its arguments. This needs
    /// the JIT: under Native AOT it returns <see langword="null"/>, and generated code registers closed formatters
    /// instead (every formatter here is public with a public <c>Instance</c>, for that).
    /// </summary>
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only reached under the JIT (checked by RuntimeFeature.IsDynamicCodeSupported); generated code registers closed formatters for Native AOT.")]
    [UnconditionalSuppressMessage("Trimming", "IL2055", Justification = "The open formatter types are rooted by the table above; their type arguments come from a type the caller already uses.")]
    [UnconditionalSuppressMessage("Trimming", "IL2060", Justification = "As IL2055: the generic arguments come from a type in use.")]
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Each formatter's public static Instance property is read right after it is closed; the formatter types are rooted by the table above.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "As IL2070.")]
    [UnconditionalSuppressMessage("Trimming", "IL2077", Justification = "As IL2070.")]
    [UnconditionalSuppressMessage("Trimming", "IL2080", Justification = "As IL2070.")]
    private static object? CreateGeneric(Type type)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            return null;
        }

        Type? formatterType = null;
        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            formatterType = type.IsSZArray
                ? typeof(ArrayFormatter<>).MakeGenericType(element)
                : type.GetArrayRank() switch
                {
                    2 => typeof(TwoDimensionalArrayFormatter<>).MakeGenericType(element),
                    3 => typeof(ThreeDimensionalArrayFormatter<>).MakeGenericType(element),
                    4 => typeof(FourDimensionalArrayFormatter<>).MakeGenericType(element),
                    _ => null,
                };
        }
        else if (type.IsGenericType && s_genericFormatters.TryGetValue(type.GetGenericTypeDefinition(), out var open))
        {
            formatterType = open.MakeGenericType(type.GetGenericArguments());
        }

        return formatterType?.GetProperty("Instance", BindingFlags.Public | BindingFlags.Static)!.GetValue(null);
    }
}
