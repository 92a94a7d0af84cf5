using System.Globalization;
using System.Text;

namespace Processional.Generators.Lambdas.Parsing;

/// <summary>
/// Call-site ids: FNV-1a (64 bits) of the interceptable location's data, which names the file's content and the call's
/// position in it. The id is a constant of the build, so every process running the build agrees on it.
/// </summary>
internal static class CallSiteIds
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    /// <summary>The id of the lambda of a call site (<paramref name="parameter"/> -1), or of the lambda passed to parameter <paramref name="parameter"/>.</summary>
    public static ulong Of(string locationData, int parameter)
    {
        var text = parameter < 0 ? locationData : locationData + ":" + parameter.ToString(CultureInfo.InvariantCulture);
        var hash = OffsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash = unchecked(hash * Prime);
        }

        return hash;
    }

    /// <summary>The id as a C# literal (<c>0x0123456789ABCDEFUL</c>).</summary>
    public static string Literal(ulong id) => "0x" + id.ToString("X16", CultureInfo.InvariantCulture) + "UL";
}
