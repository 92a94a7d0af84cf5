using System.Text;

namespace Processional.Rpc;

/// <summary>
/// Object ids. A named object's id is a stable hash of its name with the top bit set, so that a proxy can address it
/// without a round trip; objects exported on the fly (callbacks, created objects) count up from 1 with the top bit clear.
/// </summary>
internal static class RpcObjectIds
{
    public const ulong NamedBit = 1UL << 63;

    /// <summary>The id of a named object: 64-bit FNV-1a of the name's UTF-8 bytes, top bit set.</summary>
    public static ulong ForName(string name)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash | NamedBit;
    }

    /// <summary>The name an interface is exposed under when none is given: its full name.</summary>
    public static string DefaultName(Type interfaceType) => interfaceType.FullName ?? interfaceType.Name;
}
