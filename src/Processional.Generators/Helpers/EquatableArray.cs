using System;
using System.Collections;
using System.Collections.Generic;

namespace Processional.Generators.Helpers;

/// <summary>
/// An immutable array compared by its items, so that pipeline models holding one are equal when their contents are
/// (<c>ImmutableArray&lt;T&gt;</c> and plain arrays compare by reference, which defeats the generator's caching).
/// </summary>
/// <typeparam name="T">The item type, itself value-equatable.</typeparam>
internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
    where T : IEquatable<T>
{
    private readonly T[]? _items;

    public EquatableArray(IEnumerable<T> items)
    {
        var array = items is T[] given ? (T[])given.Clone() : new List<T>(items).ToArray();
        _items = array.Length == 0 ? null : array;
    }

    public static EquatableArray<T> Empty => default;

    public int Count => _items?.Length ?? 0;

    public T this[int index] => (_items ?? Array.Empty<T>())[index];

    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

    public bool Equals(EquatableArray<T> other)
    {
        var count = Count;
        if (count != other.Count)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            if (!EqualityComparer<T>.Default.Equals(_items![i], other._items![i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = HashCodes.Seed;
        foreach (var item in this)
        {
            hash = HashCodes.Combine(hash, item is null ? 0 : item.GetHashCode());
        }

        return hash;
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? Array.Empty<T>())).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
