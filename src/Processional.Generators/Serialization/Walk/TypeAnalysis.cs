using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Processional.Generators.Serialization.Models;

namespace Processional.Generators.Serialization.Walk;

/// <summary>
/// What the walk learned about one type, on its own (computed once per type and walker). It holds symbols, so it
/// never leaves the walker: the walk turns it into models and problems.
/// </summary>
internal sealed class TypeAnalysis
{
    public TypeAnalysis(ITypeSymbol type)
    {
        Type = type;
    }

    /// <summary>The type (for a generic user type, its canonical construction without nullable annotations).</summary>
    public ITypeSymbol Type { get; }

    /// <summary>What is wrong with the type itself.</summary>
    public List<(ProblemKind Kind, string Detail)> Problems { get; } = new();

    /// <summary>The types inside it that the walk visits next, with the path segment that leads to each.</summary>
    public List<(string Segment, ITypeSymbol Type, EdgeKind Kind)> Edges { get; } = new();

    /// <summary>The formatter to generate for it, if any.</summary>
    public FormatterModel? Model { get; set; }

    /// <summary>Types that the model's code names, which must all be nameable for the model to be generated.</summary>
    public List<ITypeSymbol> ReferencedTypes { get; } = new();

    /// <summary>Whether the model is generated, once the walk has worked it out.</summary>
    public bool? CanEmit { get; set; }
}
