using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Processional.Generators.Helpers;
using Processional.Generators.Serialization.Models;

namespace Processional.Generators.Serialization.Walk;

/// <summary>
/// The type-graph walk shared by every kind of root (serializer calls, and later [Remote] signatures and lambda
/// captures): from a type, it finds every type that must be serialized with it, the formatter to generate for each, and
/// what cannot be serialized, with the member path from the root. Give it a type and a path name; it returns equatable
/// models and problems and never a symbol, so its result can sit in a pipeline and a root can turn the problems into
/// diagnostics at its own location.
/// </summary>
/// <remarks>
/// One walker serves one compilation and may walk many roots: it learns each type once (its members, its constructor,
/// its union cases), so that walking every root of a project costs about as much as walking its types once. It is not
/// thread-safe; a cancelled walk leaves nothing half-learned behind.
/// </remarks>
internal sealed partial class TypeGraphWalker
{
    private readonly Compilation _compilation;
    private readonly Dictionary<ITypeSymbol, TypeAnalysis> _analyses = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<TypeAnalysis, bool> _reachesProblem = new();
    private CancellationToken _cancellationToken;
    private List<INamedTypeSymbol>? _sourceTypes;
    private HashSet<ITypeSymbol>? _handWritten;

    public TypeGraphWalker(Compilation compilation)
    {
        _compilation = compilation;
    }

    /// <summary>Whether the type is, or is built on, a type parameter (such a root says nothing about concrete types).</summary>
    public static bool ContainsTypeParameters(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol => true,
        IArrayTypeSymbol array => ContainsTypeParameters(array.ElementType),
        IPointerTypeSymbol pointer => ContainsTypeParameters(pointer.PointedAtType),
        INamedTypeSymbol named => named.TypeArguments.Any(ContainsTypeParameters) ||
            named.ContainingType is { } containing && ContainsTypeParameters(containing),
        _ => false,
    };

    /// <summary>What cannot be serialized among everything reachable from <paramref name="root"/>: what a root reports.</summary>
    /// <param name="root">The root type.</param>
    /// <param name="rootPath">
    /// The first segment of member paths: the type's short name by default; a parameter or capture name for other roots.
    /// </param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    /// <returns>The problems, in the order a depth-first walk in member order meets them, with their paths from this root.</returns>
    public EquatableArray<SerializationProblem> FindProblems(ITypeSymbol root, string? rootPath, CancellationToken cancellationToken)
    {
        _cancellationToken = cancellationToken;
        if (!ReachesProblem(Analyze(root)))
        {
            return EquatableArray<SerializationProblem>.Empty;
        }

        var walk = new WalkState(collectProblems: true, collectFormatters: false);
        VisitFrom(walk, root, rootPath ?? TypeNames.Short(root));
        return EquatableArray.From(walk.Problems);
    }

    /// <summary>
    /// The formatters needed by all of <paramref name="roots"/> together, each type visited once: what the generator
    /// emits. Problems are not collected (the analyzer reports them per root).
    /// </summary>
    /// <param name="roots">The root types.</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    /// <returns>One model per type that gets a generated file, in no particular order.</returns>
    public List<FormatterModel> CollectFormatters(IEnumerable<ITypeSymbol> roots, CancellationToken cancellationToken)
    {
        _cancellationToken = cancellationToken;
        var walk = new WalkState(collectProblems: false, collectFormatters: true);
        foreach (var root in roots)
        {
            VisitFrom(walk, root, string.Empty);
        }

        return walk.Formatters;
    }

    /// <summary>
    /// A depth-first walk in member order, with an explicit stack (a long chain of types must not overflow the
    /// compiler's stack). The path is kept as a list of segments and turned into a string only for a problem.
    /// </summary>
    private void VisitFrom(WalkState walk, ITypeSymbol root, string rootPath)
    {
        var path = new List<string> { rootPath };
        var frames = new List<(TypeAnalysis Analysis, int Next)>();
        if (Enter(walk, root, EdgeKind.Serialized, path) is { } first)
        {
            frames.Add((first, 0));
        }

        while (frames.Count > 0)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var top = frames.Count - 1;
            var (analysis, next) = frames[top];
            if (next == analysis.Edges.Count)
            {
                frames.RemoveAt(top);
                path.RemoveAt(path.Count - 1);
                continue;
            }

            frames[top] = (analysis, next + 1);
            var (segment, child, kind) = analysis.Edges[next];
            path.Add(segment);
            if (Enter(walk, child, kind, path) is { } expanded)
            {
                frames.Add((expanded, 0));
            }
            else
            {
                path.RemoveAt(path.Count - 1);
            }
        }
    }

    /// <summary>Arrives at a type: reports its problems, takes its model; returns it when its edges are still to walk.</summary>
    private TypeAnalysis? Enter(WalkState walk, ITypeSymbol type, EdgeKind edge, List<string> path)
    {
        var analysis = Analyze(type);

        // Problems are reported each time an edge leads here: each member that holds a bad type is named once.
        if (walk.CollectProblems)
        {
            foreach (var (kind, detail) in analysis.Problems)
            {
                walk.Problems.Add(new SerializationProblem(kind, string.Concat(path), TypeNames.Display(analysis.Type), detail));
            }
        }

        if (walk.CollectFormatters && edge != EdgeKind.Embedded && analysis.Model is { } model && CanEmit(analysis) && walk.ModelsAdded.Add(analysis.Type))
        {
            walk.Formatters.Add(model);
        }

        return walk.Expanded.Add(analysis.Type) ? analysis : null;
    }

    /// <summary>
    /// Whether a problem can be reached from the type, remembered for every type: most roots have none, and then no
    /// path needs walking. Types that reach each other (a cycle) share the answer, so the graph is cut into strongly
    /// connected components (Tarjan's algorithm, with an explicit stack) and each type is looked at once per walker.
    /// </summary>
    private bool ReachesProblem(TypeAnalysis root)
    {
        if (_reachesProblem.TryGetValue(root, out var known))
        {
            return known;
        }

        var order = new Dictionary<TypeAnalysis, int>();
        var lowLink = new Dictionary<TypeAnalysis, int>();
        var local = new Dictionary<TypeAnalysis, bool>();
        var component = new List<TypeAnalysis>();
        var onComponentStack = new HashSet<TypeAnalysis>();
        var frames = new List<(TypeAnalysis Node, int Next)>();

        void Open(TypeAnalysis node)
        {
            order[node] = lowLink[node] = order.Count;
            local[node] = node.Problems.Count != 0;
            component.Add(node);
            onComponentStack.Add(node);
            frames.Add((node, 0));
        }

        Open(root);
        while (frames.Count > 0)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var top = frames.Count - 1;
            var (node, next) = frames[top];
            if (next < node.Edges.Count)
            {
                frames[top] = (node, next + 1);
                var child = Analyze(node.Edges[next].Type);
                if (_reachesProblem.TryGetValue(child, out var childReaches))
                {
                    local[node] |= childReaches;
                }
                else if (!order.ContainsKey(child))
                {
                    Open(child);
                }
                else if (onComponentStack.Contains(child))
                {
                    lowLink[node] = Math.Min(lowLink[node], order[child]);
                }

                continue;
            }

            frames.RemoveAt(top);
            if (lowLink[node] == order[node])
            {
                // The node closes a component: every type in it reaches a problem if any of them does.
                var start = component.LastIndexOf(node);
                var reaches = false;
                for (var i = start; i < component.Count; i++)
                {
                    reaches |= local[component[i]];
                }

                for (var i = start; i < component.Count; i++)
                {
                    _reachesProblem[component[i]] = reaches;
                    onComponentStack.Remove(component[i]);
                }

                component.RemoveRange(start, component.Count - start);
            }

            if (frames.Count > 0)
            {
                var parent = frames[frames.Count - 1].Node;
                if (_reachesProblem.TryGetValue(node, out var nodeReaches))
                {
                    local[parent] |= nodeReaches;
                }
                else
                {
                    lowLink[parent] = Math.Min(lowLink[parent], lowLink[node]);
                }
            }
        }

        return _reachesProblem[root];
    }

    /// <summary>A model is generated when its type has no problem and every type its code names can be named.</summary>
    private bool CanEmit(TypeAnalysis analysis) =>
        analysis.CanEmit ??= analysis.Problems.Count == 0 && analysis.ReferencedTypes.All(IsNameable);

    private TypeAnalysis Analyze(ITypeSymbol type)
    {
        // The comparer ignores nullable annotations, so Box<string?> finds Box<string>'s analysis; the canonical
        // construction, which decides the annotations in the model, is made only once per type.
        if (_analyses.TryGetValue(type, out var known))
        {
            return known;
        }

        type = Canonicalize(type);
        if (_analyses.TryGetValue(type, out known))
        {
            // Another spelling of a type already learned (a tuple with other element names).
            return known;
        }

        // Classify does not come back here, so the analysis is remembered only once complete.
        var analysis = new TypeAnalysis(type);
        Classify(analysis);
        _analyses.Add(type, analysis);
        return analysis;
    }

    private void Classify(TypeAnalysis analysis)
    {
        switch (analysis.Type)
        {
            case { TypeKind: TypeKind.Error }:
                // The compiler reports it already.
                return;
            case ITypeParameterSymbol:
                analysis.Problems.Add((ProblemKind.TypeParameter, string.Empty));
                return;
            case IDynamicTypeSymbol:
                analysis.Problems.Add((ProblemKind.Untyped, string.Empty));
                return;
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                analysis.Problems.Add((ProblemKind.Pointer, string.Empty));
                return;
            case IArrayTypeSymbol array:
                analysis.Edges.Add(("[]", array.ElementType, IsUnmanagedShape(array.ElementType) ? EdgeKind.Embedded : EdgeKind.Serialized));
                return;
            case INamedTypeSymbol named:
                ClassifyNamed(analysis, named);
                return;
        }
    }

    private void ClassifyNamed(TypeAnalysis analysis, INamedTypeSymbol type)
    {
        if (HasHandWrittenFormatter(type))
        {
            // The user wrote (and registers) its formatter: nothing to generate, nothing to check.
            return;
        }

        if (type.SpecialType is SpecialType.System_Object or SpecialType.System_ValueType or SpecialType.System_Enum or SpecialType.System_Array)
        {
            analysis.Problems.Add((ProblemKind.Untyped, string.Empty));
            return;
        }

        if (type.TypeKind == TypeKind.Delegate || type.SpecialType is SpecialType.System_Delegate or SpecialType.System_MulticastDelegate)
        {
            analysis.Problems.Add((ProblemKind.Delegate, string.Empty));
            return;
        }

        if (type.IsRefLikeType)
        {
            analysis.Problems.Add((ProblemKind.RefStruct, string.Empty));
            return;
        }

        if (SymbolFacts.IsFramework(type, _compilation))
        {
            ClassifyFramework(analysis, type);
            return;
        }

        if (SymbolFacts.IsResource(type, _compilation))
        {
            analysis.Problems.Add((ProblemKind.Resource, string.Empty));
            return;
        }

        var inaccessible = GetInaccessibility(type);
        if (inaccessible is not null)
        {
            analysis.Problems.Add((ProblemKind.Inaccessible, inaccessible));
            return;
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            analysis.Model = new UnmanagedFormatterModel(TypeNames.FullyQualified(type), TypeNames.Display(type), TypeNames.HintName(type), type.Name);
            return;
        }

        if (type.TypeKind == TypeKind.Interface || type.TypeKind == TypeKind.Class && type.IsAbstract)
        {
            ClassifyUnion(analysis, type);
            return;
        }

        if (IsRawStruct(type))
        {
            ClassifyRawStruct(analysis, type);
            return;
        }

        if (type.TypeKind is TypeKind.Class or TypeKind.Struct)
        {
            ClassifyObject(analysis, type);
            return;
        }

        analysis.Problems.Add((ProblemKind.Untyped, string.Empty));
    }

    private void ClassifyFramework(TypeAnalysis analysis, INamedTypeSymbol type)
    {
        var kind = SymbolFacts.ClassifyFramework(type, _compilation);
        var arguments = type.TypeArguments;
        switch (kind)
        {
            case FrameworkKind.Unsupported:
                analysis.Problems.Add((ProblemKind.NoBuiltInFormatter, string.Empty));
                return;
            case FrameworkKind.Resource:
                analysis.Problems.Add((ProblemKind.Resource, string.Empty));
                return;
            case FrameworkKind.Pointer:
                analysis.Problems.Add((ProblemKind.Pointer, string.Empty));
                return;
            case FrameworkKind.Leaf:
                return;
            case FrameworkKind.Nullable:
                analysis.Edges.Add((string.Empty, arguments[0], EdgeKind.Serialized));
                return;
            case FrameworkKind.Sequence:
                analysis.Edges.Add(("[]", arguments[0], EdgeKind.Serialized));
                return;
            case FrameworkKind.Map:
                analysis.Edges.Add(("[key]", arguments[0], EdgeKind.Serialized));
                analysis.Edges.Add(("[value]", arguments[1], EdgeKind.Serialized));
                return;
            case FrameworkKind.KeyValuePair:
                analysis.Edges.Add((".Key", arguments[0], EdgeKind.Serialized));
                analysis.Edges.Add((".Value", arguments[1], EdgeKind.Serialized));
                return;
            case FrameworkKind.Tuple:
                for (var i = 0; i < arguments.Length; i++)
                {
                    analysis.Edges.Add((i == 7 ? ".Rest" : ".Item" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), arguments[i], EdgeKind.Serialized));
                }

                return;
        }
    }

    /// <summary>Says why generated code cannot name the type, or returns null when it can.</summary>
    private string? GetInaccessibility(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsFileLocal)
            {
                return SymbolEqualityComparer.Default.Equals(current, type) ? "it is file-local" : $"it is nested in the file-local '{TypeNames.Short(current)}'";
            }

            if (!_compilation.IsSymbolAccessibleWithin(current.OriginalDefinition, _compilation.Assembly))
            {
                var what = current.DeclaredAccessibility switch
                {
                    Accessibility.Private => "private",
                    Accessibility.Protected or Accessibility.ProtectedOrInternal or Accessibility.ProtectedAndInternal => "protected",
                    _ => "internal to another assembly",
                };
                return SymbolEqualityComparer.Default.Equals(current, type)
                    ? $"it is {what}"
                    : $"it is nested in '{TypeNames.Short(current)}', which is {what}";
            }
        }

        foreach (var argument in type.TypeArguments)
        {
            if (!IsNameable(argument))
            {
                return $"its type argument '{TypeNames.Short(argument)}' cannot be named here";
            }
        }

        return null;
    }

    /// <summary>Whether generated code can write the type's name.</summary>
    private bool IsNameable(ITypeSymbol type) => type switch
    {
        { TypeKind: TypeKind.Error } or ITypeParameterSymbol or IPointerTypeSymbol or IFunctionPointerTypeSymbol => false,
        IArrayTypeSymbol array => IsNameable(array.ElementType),
        INamedTypeSymbol named => !named.IsRefLikeType &&
            (SymbolFacts.IsFramework(named, _compilation) ? named.TypeArguments.All(IsNameable) : GetInaccessibility(named) is null),
        _ => true,
    };

    /// <summary>
    /// The construction of a generic user type with every nullable annotation removed from its type arguments, so that
    /// <c>Box&lt;string?&gt;</c> and <c>Box&lt;string&gt;</c> (one runtime type) share one model and one formatter.
    /// </summary>
    private ITypeSymbol Canonicalize(ITypeSymbol type)
    {
        switch (type)
        {
            case INamedTypeSymbol { IsGenericType: true } named when !named.IsUnboundGenericType && !ContainsTypeParameters(named):
                INamedTypeSymbol? definition;
                if (named.ContainingType is { IsGenericType: true } containing)
                {
                    var canonicalContaining = (INamedTypeSymbol)Canonicalize(containing);
                    definition = canonicalContaining.GetTypeMembers(named.Name, named.Arity)
                        .FirstOrDefault(m => SymbolEqualityComparer.Default.Equals(m.OriginalDefinition, named.OriginalDefinition));
                    if (definition is null)
                    {
                        return named.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
                    }
                }
                else
                {
                    definition = named.OriginalDefinition;
                }

                if (named.Arity == 0)
                {
                    return definition;
                }

                var arguments = named.TypeArguments.Select(Canonicalize).ToImmutableArray();
                var annotations = ImmutableArray.CreateRange(arguments, static _ => NullableAnnotation.NotAnnotated);
                return definition.Construct(arguments, annotations);
            case IArrayTypeSymbol array:
                return _compilation.CreateArrayTypeSymbol(Canonicalize(array.ElementType), array.Rank, NullableAnnotation.NotAnnotated);
            default:
                return type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        }
    }

    /// <summary>
    /// Whether a class of this compilation derives from <c>ProcessionalFormatter&lt;T&gt;</c> for the type (or, for a
    /// generic formatter of an open type, for its definition). The generator's own formatters, which the analyzer sees
    /// in a real build, do not count.
    /// </summary>
    private bool HasHandWrittenFormatter(INamedTypeSymbol type)
    {
        if (_handWritten is null)
        {
            var handWritten = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
            foreach (var candidate in GetSourceTypes())
            {
                if (candidate.TypeKind != TypeKind.Class ||
                    candidate.IsFileLocal && candidate.ContainingNamespace.ToDisplayString() == Emit.FormatterEmitter.GeneratedNamespace)
                {
                    continue;
                }

                for (var baseType = candidate.BaseType; baseType is not null; baseType = baseType.BaseType)
                {
                    if (baseType is { Name: "ProcessionalFormatter", Arity: 1, ContainingType: null } &&
                        baseType.ContainingNamespace.ToDisplayString() == SymbolFacts.SerializationNamespace)
                    {
                        var formatted = baseType.TypeArguments[0];
                        handWritten.Add(formatted is INamedTypeSymbol named && ContainsTypeParameters(named) ? named.OriginalDefinition : Canonicalize(formatted));
                        break;
                    }
                }
            }

            _handWritten = handWritten;
        }

        return _handWritten.Count != 0 && (_handWritten.Contains(type) || _handWritten.Contains(type.OriginalDefinition));
    }

    /// <summary>Every named type declared in this compilation, nested ones included, in declaration order.</summary>
    private List<INamedTypeSymbol> GetSourceTypes()
    {
        if (_sourceTypes is null)
        {
            var sourceTypes = new List<INamedTypeSymbol>();
            var pending = new Stack<INamespaceOrTypeSymbol>();
            pending.Push(_compilation.Assembly.GlobalNamespace);
            while (pending.Count > 0)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var current = pending.Pop();
                if (current is INamespaceSymbol ns)
                {
                    foreach (var member in ns.GetMembers().Reverse())
                    {
                        pending.Push(member);
                    }
                }
                else if (current is INamedTypeSymbol named)
                {
                    sourceTypes.Add(named);
                    foreach (var nested in named.GetTypeMembers().Reverse())
                    {
                        pending.Push(nested);
                    }
                }
            }

            _sourceTypes = sourceTypes;
        }

        return _sourceTypes;
    }

    private sealed class WalkState
    {
        public WalkState(bool collectProblems, bool collectFormatters)
        {
            CollectProblems = collectProblems;
            CollectFormatters = collectFormatters;
        }

        public bool CollectProblems { get; }

        public bool CollectFormatters { get; }

        public List<FormatterModel> Formatters { get; } = new();

        public List<SerializationProblem> Problems { get; } = new();

        public HashSet<ITypeSymbol> Expanded { get; } = new(SymbolEqualityComparer.Default);

        public HashSet<ITypeSymbol> ModelsAdded { get; } = new(SymbolEqualityComparer.Default);
    }
}
