using System.Threading;
using Microsoft.CodeAnalysis;
using Processional.Generators.Helpers;

namespace Processional.Generators.Serialization.Walk;

/// <summary>
/// One <see cref="TypeGraphWalker"/> for a whole compilation, shared by an analyzer's concurrent callbacks (the walker
/// itself is not thread-safe): each type is learned once, whatever the number of places that send it.
/// </summary>
internal sealed class SharedTypeGraphWalker
{
    private readonly TypeGraphWalker _walker;
    private readonly object _gate = new();

    public SharedTypeGraphWalker(Compilation compilation)
    {
        _walker = new TypeGraphWalker(compilation);
    }

    /// <summary>
    /// The problems of a type sent by value, with member paths starting at <paramref name="path"/>; none for a type that
    /// still has type parameters (it is checked where it is closed).
    /// </summary>
    public EquatableArray<SerializationProblem> FindProblems(ITypeSymbol type, string path, CancellationToken cancellationToken)
    {
        if (TypeGraphWalker.ContainsTypeParameters(type))
        {
            return default;
        }

        lock (_gate)
        {
            return _walker.FindProblems(type, path, cancellationToken);
        }
    }
}
