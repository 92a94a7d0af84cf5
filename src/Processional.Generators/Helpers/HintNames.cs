using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Processional.Generators.Helpers;

/// <summary>Hint names that stay unique where file names ignore case.</summary>
internal static class HintNames
{
    /// <summary>
    /// Orders the models by hint name (so that an edit to one changes only its entry, whatever order they were found in)
    /// and gives hint names that differ only in case a numeric suffix (<c>Shop.item.2</c>).
    /// </summary>
    public static EquatableArray<T> OrderAndMakeUnique<T>(IEnumerable<T> models, Func<T, string> hintName, Func<T, string, T> withHintName)
        where T : IEquatable<T>
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = new List<T>();
        foreach (var model in models.OrderBy(hintName, StringComparer.Ordinal))
        {
            var name = hintName(model);
            var unique = name;
            for (var suffix = 2; !used.Add(unique); suffix++)
            {
                unique = name + "." + suffix.ToString(CultureInfo.InvariantCulture);
            }

            result.Add(unique == name ? model : withHintName(model, unique));
        }

        return EquatableArray.From(result);
    }
}
