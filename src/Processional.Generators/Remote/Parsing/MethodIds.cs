using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Processional.Generators.Remote.Parsing;

/// <summary>
/// The stable ids of [Remote] members: a 32-bit FNV-1a hash of the UTF-8 bytes of a canonical signature, so that adding,
/// removing or reordering other members never changes a member's id, and both ends of a connection compute the same id
/// from the same declaration without exchanging anything.
/// </summary>
/// <remarks>
/// The signature is <c>DeclaringInterface.MemberName(ParameterType1,ParameterType2,...)</c>, with no spaces:
/// <list type="bullet">
/// <item>The declaring interface is the one that declares the member (a base interface for an inherited member).</item>
/// <item>A get-only property is its getter, <c>get_Name()</c>; an indexer is <c>get_Item(...)</c> with its parameters.</item>
/// <item>
/// A type is its namespace, its containing types and its name joined by <c>.</c> (<c>Shop.Outer.Inner</c>; none for the
/// global namespace), with its type arguments in angle brackets separated by <c>,</c> (<c>System.Collections.Generic.List&lt;Shop.Item&gt;</c>,
/// at each level of nesting: <c>Shop.Outer&lt;System.Int32&gt;.Inner</c>). Built-in types use their CLR names
/// (<c>System.Int32</c>, <c>System.String</c>); <c>int?</c> is <c>System.Nullable&lt;System.Int32&gt;</c>; a tuple is its
/// <c>System.ValueTuple&lt;...&gt;</c> without element names; <c>dynamic</c> is <c>System.Object</c>; an array is its
/// element type followed by <c>[]</c>, <c>[,]</c>...; nullable reference annotations and parameter names are left out.
/// </item>
/// </list>
/// For example <c>Shop.ICalculator.AddAsync(System.Int32,System.Threading.CancellationToken)</c>.
/// </remarks>
internal static class MethodIds
{
    private const uint OffsetBasis = 2166136261;
    private const uint Prime = 16777619;

    /// <summary>The canonical signature of <paramref name="method"/> (a getter for a property or an indexer).</summary>
    public static string Signature(IMethodSymbol method, INamedTypeSymbol declaringInterface)
    {
        var builder = new StringBuilder();
        AppendType(builder, declaringInterface);
        builder.Append('.').Append(method.Name).Append('(');
        for (var i = 0; i < method.Parameters.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            AppendType(builder, method.Parameters[i].Type);
        }

        return builder.Append(')').ToString();
    }

    /// <summary>The 32-bit FNV-1a hash of the UTF-8 bytes of <paramref name="signature"/>.</summary>
    public static uint Hash(string signature)
    {
        var hash = OffsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(signature))
        {
            hash = unchecked((hash ^ b) * Prime);
        }

        return hash;
    }

    /// <summary>The id as generated code writes it: <c>0x1234ABCDu</c>.</summary>
    public static string Literal(uint id) => "0x" + id.ToString("X8", CultureInfo.InvariantCulture) + "u";

    private static void AppendNamespace(StringBuilder builder, INamespaceSymbol? ns)
    {
        if (ns is null || ns.IsGlobalNamespace)
        {
            return;
        }

        AppendNamespace(builder, ns.ContainingNamespace);
        builder.Append(ns.Name).Append('.');
    }

    private static void AppendType(StringBuilder builder, ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                AppendType(builder, array.ElementType);
                builder.Append('[').Append(',', array.Rank - 1).Append(']');
                return;
            case IPointerTypeSymbol pointer:
                AppendType(builder, pointer.PointedAtType);
                builder.Append('*');
                return;
            case IDynamicTypeSymbol:
                builder.Append("System.Object");
                return;
            case INamedTypeSymbol named:
                named = named.TupleUnderlyingType ?? named;
                if (named.ContainingType is { } containing)
                {
                    AppendType(builder, containing);
                    builder.Append('.');
                }
                else
                {
                    AppendNamespace(builder, named.ContainingNamespace);
                }

                builder.Append(named.Name);
                if (named.TypeArguments.Length > 0)
                {
                    builder.Append('<');
                    for (var i = 0; i < named.TypeArguments.Length; i++)
                    {
                        if (i > 0)
                        {
                            builder.Append(',');
                        }

                        AppendType(builder, named.TypeArguments[i]);
                    }

                    builder.Append('>');
                }

                return;
            default:
                // Type parameters and function pointers: members that have them are rejected before ids matter.
                builder.Append(type.Name);
                return;
        }
    }
}
