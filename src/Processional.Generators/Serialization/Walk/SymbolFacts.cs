using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Processional.Generators.Serialization.Walk;

/// <summary>
/// Facts about symbols that the walk needs, found by name rather than by <c>Compilation.GetTypeByMetadataName</c>, so
/// that they cost nothing per compilation.
/// </summary>
internal static class SymbolFacts
{
    public const string SerializationNamespace = "Processional.Serialization";
    public const string RuntimeAssemblyName = "Processional.Runtime";

    private static readonly HashSet<string> s_leaves = new()
    {
        "System.String", "System.Decimal", "System.DateTime", "System.DateTimeOffset", "System.TimeSpan", "System.DateOnly",
        "System.TimeOnly", "System.Guid", "System.Half", "System.Int128", "System.UInt128", "System.Numerics.BigInteger",
        "System.Uri", "System.Version", "Processional.Serialization.RemoteExceptionInfo",
        "Processional.SharedArray`1", "Processional.SharedMemory", "Processional.SharedSequence",
    };

    // Disposable, but data that travels: the runtime writes their handle and the receiver maps the same memory.
    private static readonly HashSet<string> s_sharedMemory = new()
    {
        "Processional.SharedArray`1", "Processional.SharedMemory", "Processional.SharedSequence",
    };

    private static readonly Dictionary<string, FrameworkKind> s_generics = new()
    {
        ["System.Nullable`1"] = FrameworkKind.Nullable,
        ["System.Collections.Generic.KeyValuePair`2"] = FrameworkKind.KeyValuePair,
        ["System.Collections.Generic.List`1"] = FrameworkKind.Sequence,
        ["System.Collections.Generic.HashSet`1"] = FrameworkKind.Sequence,
        ["System.Collections.Generic.SortedSet`1"] = FrameworkKind.Sequence,
        ["System.Collections.Generic.Queue`1"] = FrameworkKind.Sequence,
        ["System.Collections.Generic.Stack`1"] = FrameworkKind.Sequence,
        ["System.Memory`1"] = FrameworkKind.Sequence,
        ["System.ReadOnlyMemory`1"] = FrameworkKind.Sequence,
        ["System.ArraySegment`1"] = FrameworkKind.Sequence,
        ["System.Collections.Immutable.ImmutableArray`1"] = FrameworkKind.Sequence,
        ["System.Collections.Immutable.ImmutableList`1"] = FrameworkKind.Sequence,
        ["System.Collections.Immutable.ImmutableHashSet`1"] = FrameworkKind.Sequence,
        ["System.Collections.Immutable.ImmutableSortedSet`1"] = FrameworkKind.Sequence,
        ["System.Collections.Immutable.ImmutableQueue`1"] = FrameworkKind.Sequence,
        ["System.Collections.Immutable.ImmutableStack`1"] = FrameworkKind.Sequence,
        ["System.Collections.Generic.Dictionary`2"] = FrameworkKind.Map,
        ["System.Collections.Generic.SortedDictionary`2"] = FrameworkKind.Map,
        ["System.Collections.Immutable.ImmutableDictionary`2"] = FrameworkKind.Map,
        ["System.Collections.Immutable.ImmutableSortedDictionary`2"] = FrameworkKind.Map,
        ["System.Collections.Generic.IEnumerable`1"] = FrameworkKind.Sequence,
        ["System.Collections.Generic.IReadOnlyCollection`1"] = FrameworkKind.Sequence,
        ["System.Collections.Generic.IReadOnlyList`1"] = FrameworkKind.Sequence,
        ["System.Collections.Generic.ICollection`1"] = FrameworkKind.Sequence,
        ["System.Collections.Generic.IList`1"] = FrameworkKind.Sequence,
        ["System.Collections.Generic.ISet`1"] = FrameworkKind.Sequence,
        ["System.Collections.Generic.IReadOnlySet`1"] = FrameworkKind.Sequence,
        ["System.Collections.Generic.IDictionary`2"] = FrameworkKind.Map,
        ["System.Collections.Generic.IReadOnlyDictionary`2"] = FrameworkKind.Map,
    };

    // Not data: they stand for something alive in this process.
    private static readonly HashSet<string> s_resources = new()
    {
        "System.IDisposable", "System.IAsyncDisposable", "System.Threading.CancellationToken",
        "System.Threading.Tasks.ValueTask", "System.Threading.Tasks.ValueTask`1",
    };

    // Unmanaged, so they would be copied as bytes, but the bytes are an address or a handle of this process.
    private static readonly HashSet<string> s_handles = new()
    {
        "System.IntPtr", "System.UIntPtr", "System.RuntimeTypeHandle", "System.RuntimeMethodHandle", "System.RuntimeFieldHandle",
        "System.ModuleHandle", "System.Runtime.InteropServices.GCHandle", "System.Runtime.InteropServices.HandleRef",
    };

    // Framework collections that a get-only property may hold and that a reader fills with Clear and Add.
    private static readonly HashSet<string> s_populatable = new()
    {
        "System.Collections.Generic.List`1", "System.Collections.Generic.HashSet`1",
        "System.Collections.Generic.Dictionary`2", "System.Collections.Generic.SortedDictionary`2",
    };

    /// <summary>The CLR name of the type's definition: <c>Shop.Outer+Box`1</c>.</summary>
    public static string MetadataName(INamedTypeSymbol type)
    {
        var definition = type.OriginalDefinition;
        var name = definition.MetadataName;
        for (var containing = definition.ContainingType; containing is not null; containing = containing.ContainingType)
        {
            name = containing.MetadataName + "+" + name;
        }

        var ns = definition.ContainingNamespace;
        return ns is null || ns.IsGlobalNamespace ? name : ns.ToDisplayString() + "." + name;
    }

    /// <summary>
    /// A type of the framework (namespaces <c>System</c> and <c>Microsoft</c> outside this compilation) or of Processional's
    /// runtime: the runtime provides its formatters, the generator never writes one.
    /// </summary>
    public static bool IsFramework(INamedTypeSymbol type, Compilation compilation)
    {
        var assembly = type.ContainingAssembly;
        if (assembly is null || SymbolEqualityComparer.Default.Equals(assembly, compilation.Assembly))
        {
            return false;
        }

        if (assembly.Name == RuntimeAssemblyName)
        {
            return true;
        }

        var ns = type.ContainingNamespace;
        while (ns is { ContainingNamespace.IsGlobalNamespace: false })
        {
            ns = ns.ContainingNamespace;
        }

        return ns is { IsGlobalNamespace: false, Name: "System" or "Microsoft" };
    }

    /// <summary>What the runtime does with a framework type.</summary>
    public static FrameworkKind ClassifyFramework(INamedTypeSymbol type, Compilation compilation)
    {
        var name = MetadataName(type);
        if (s_handles.Contains(name))
        {
            return FrameworkKind.Pointer;
        }

        if (IsResource(type, compilation))
        {
            return FrameworkKind.Resource;
        }

        if (s_leaves.Contains(name) || type.SpecialType != SpecialType.None && IsPrimitive(type) || type.TypeKind == TypeKind.Enum)
        {
            return FrameworkKind.Leaf;
        }

        if (s_generics.TryGetValue(name, out var kind))
        {
            return kind;
        }

        if (name.StartsWith("System.ValueTuple`", System.StringComparison.Ordinal) ||
            name.StartsWith("System.Tuple`", System.StringComparison.Ordinal))
        {
            return FrameworkKind.Tuple;
        }

        // Any other struct without references is its raw bytes (the runtime's rule, and MemoryPack's).
        return type.IsUnmanagedType && type.TypeKind == TypeKind.Struct ? FrameworkKind.Leaf : FrameworkKind.Unsupported;
    }

    /// <summary>
    /// A live resource: <c>IDisposable</c>/<c>IAsyncDisposable</c> themselves, a framework type implementing one of them
    /// (streams, handles, sockets, tasks, timers...), a user type deriving from such a framework class, and the
    /// cancellation token and value tasks.
    /// </summary>
    public static bool IsResource(INamedTypeSymbol type, Compilation compilation)
    {
        if (IsFramework(type, compilation) && s_sharedMemory.Contains(MetadataName(type)))
        {
            return false;
        }

        var probe = type;
        while (probe is not null && !IsFramework(probe, compilation))
        {
            probe = probe.BaseType;
        }

        if (probe is null || probe.SpecialType is SpecialType.System_Object or SpecialType.System_ValueType or SpecialType.System_Enum)
        {
            return false;
        }

        return s_resources.Contains(MetadataName(probe)) ||
            probe.AllInterfaces.Any(static i => MetadataName(i) is "System.IDisposable" or "System.IAsyncDisposable");
    }

    /// <summary>The C# primitive types written as raw bytes: <c>bool</c>, <c>char</c>, the integers and the floating-point types.</summary>
    public static bool IsPrimitive(ITypeSymbol type) => type.SpecialType is
        SpecialType.System_Boolean or SpecialType.System_Char or
        SpecialType.System_SByte or SpecialType.System_Byte or
        SpecialType.System_Int16 or SpecialType.System_UInt16 or
        SpecialType.System_Int32 or SpecialType.System_UInt32 or
        SpecialType.System_Int64 or SpecialType.System_UInt64 or
        SpecialType.System_Single or SpecialType.System_Double;

    /// <summary>A framework collection that a get-only property may hold, to be filled when read; null otherwise.</summary>
    /// <returns>The item type of its <c>ICollection&lt;T&gt;</c>, or <see langword="null"/>.</returns>
    public static ITypeSymbol? GetPopulatableItemType(ITypeSymbol type, Compilation compilation)
    {
        if (type is not INamedTypeSymbol named || !IsFramework(named, compilation) || !s_populatable.Contains(MetadataName(named)))
        {
            return null;
        }

        foreach (var candidate in named.AllInterfaces)
        {
            if (MetadataName(candidate) == "System.Collections.Generic.ICollection`1")
            {
                return candidate.TypeArguments[0];
            }
        }

        return null;
    }

    /// <summary>Whether the type is Processional's attribute named <paramref name="name"/>.</summary>
    public static bool IsProcessionalAttribute(INamedTypeSymbol? attribute, string name) =>
        attribute is { ContainingType: null } &&
        attribute.Name == name &&
        attribute.ContainingNamespace.ToDisplayString() == SerializationNamespace;

    /// <summary>Whether the symbol carries Processional's attribute named <paramref name="name"/>.</summary>
    public static bool HasProcessionalAttribute(ISymbol symbol, string name) =>
        symbol.GetAttributes().Any(a => IsProcessionalAttribute(a.AttributeClass, name));

    /// <summary>Whether a member carries <c>[IgnoreMember]</c>, itself or on a property it overrides (the attribute is inherited).</summary>
    public static bool IsIgnored(ISymbol member)
    {
        for (var current = member; current is not null; current = (current as IPropertySymbol)?.OverriddenProperty)
        {
            if (HasProcessionalAttribute(current, "IgnoreMemberAttribute"))
            {
                return true;
            }
        }

        return false;
    }
}
