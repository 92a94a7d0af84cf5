using System;
using System.Collections.Generic;

namespace Processional.Generators.Helpers;

/// <summary>Creates <see cref="EquatableArray{T}"/> values with type inference.</summary>
internal static class EquatableArray
{
    public static EquatableArray<T> From<T>(IEnumerable<T> items)
        where T : IEquatable<T> => new(items);
}
