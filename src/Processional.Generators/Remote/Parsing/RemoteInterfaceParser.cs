using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Processional.Generators.Helpers;
using Processional.Generators.Remote.Models;
using Processional.Generators.Serialization.Models;
using Processional.Generators.Serialization.Walk;

namespace Processional.Generators.Remote.Parsing;

/// <summary>
/// Reads a [Remote] interface: its members and its base interfaces' members, how each parameter and result travels,
/// and each member's id. The generator, the analyzer and the serializer's roots all read interfaces here, so that they
/// agree on what is supported: the generator gets a model (or nothing, when something is wrong), the analyzer gets
/// the problems through an <see cref="IRemoteProblemSink"/>.
/// </summary>
internal sealed partial class RemoteInterfaceParser
{
    private readonly INamedTypeSymbol _interface;
    private readonly Compilation _compilation;
    private readonly IRemoteProblemSink? _sink;
    private readonly CancellationToken _cancellationToken;
    private readonly TypeGraphWalker _shapes;
    private bool _hasErrors;

    private RemoteInterfaceParser(INamedTypeSymbol type, Compilation compilation, IRemoteProblemSink? sink, CancellationToken cancellationToken)
    {
        _interface = type;
        _compilation = compilation;
        _sink = sink;
        _cancellationToken = cancellationToken;
        _shapes = new TypeGraphWalker(compilation);
    }

    /// <summary>
    /// The model of the [Remote] interface <paramref name="type"/>, or <see langword="null"/> when it has an error (reported to
    /// <paramref name="sink"/> when one is given).
    /// </summary>
    public static RemoteInterfaceModel? Parse(INamedTypeSymbol type, Compilation compilation, IRemoteProblemSink? sink, CancellationToken cancellationToken) =>
        new RemoteInterfaceParser(type, compilation, sink, cancellationToken).Parse();

    /// <summary>
    /// The types that the interface's parameters and results send by value — the serializer's roots: parameter types,
    /// <c>T</c> of <c>IProgress&lt;T&gt;</c>, results unwrapped from <c>Task</c>, <c>ValueTask</c> and
    /// <c>IAsyncEnumerable</c>; not cancellation tokens, not [Remote] interfaces (sent by reference), not types built on a
    /// type parameter.
    /// </summary>
    public static List<ITypeSymbol> CollectSerializedTypes(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var types = new List<ITypeSymbol>();
        if (RemoteSymbols.IsGenericOrInGeneric(type))
        {
            return types;
        }

        foreach (var (member, _) in EnumerateMembers(type))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (returnType, parameters) = member switch
            {
                IMethodSymbol { IsGenericMethod: false } method => (method.ReturnsVoid ? null : method.ReturnType, method.Parameters),
                IPropertySymbol property => (property.Type, property.Parameters),
                _ => (null, default),
            };

            if (returnType is not null && UnwrapResult(returnType) is { } result && !RemoteSymbols.IsRemoteInterface(result))
            {
                types.Add(result);
            }

            foreach (var parameter in parameters.IsDefault ? Enumerable.Empty<IParameterSymbol>() : parameters)
            {
                var parameterType = RemoteSymbols.IsProgress(parameter.Type) ? ((INamedTypeSymbol)parameter.Type).TypeArguments[0] : parameter.Type;
                if (!RemoteSymbols.IsCancellationToken(parameterType) && !RemoteSymbols.IsRemoteInterface(parameterType))
                {
                    types.Add(parameterType);
                }
            }
        }

        types.RemoveAll(static t => t.TypeKind == TypeKind.Error || TypeGraphWalker.ContainsTypeParameters(t));
        return types;
    }

    /// <summary>
    /// The members a proxy implements: the interface's own, then each base interface's (as <c>AllInterfaces</c> orders
    /// them), each in declaration order; static members and non-virtual ones (private or sealed helpers, which run
    /// locally) are left out, and so are <c>IDisposable</c>'s and <c>IAsyncDisposable</c>'s, which release the proxy.
    /// </summary>
    private static IEnumerable<(ISymbol Member, INamedTypeSymbol Declaring)> EnumerateMembers(INamedTypeSymbol type)
    {
        foreach (var declaring in new[] { type }.Concat(type.AllInterfaces))
        {
            if (RemoteSymbols.IsDisposable(declaring) || RemoteSymbols.IsAsyncDisposable(declaring))
            {
                continue;
            }

            foreach (var member in declaring.GetMembers())
            {
                if (member.IsStatic || !(member.IsAbstract || member.IsVirtual))
                {
                    continue;
                }

                // An interface's explicit implementation of a base member (a default body, or a re-abstraction) is
                // not a member of its own: the proxy implements the base member.
                if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } or
                    IPropertySymbol { ExplicitInterfaceImplementations.Length: 0 } or
                    IEventSymbol { ExplicitInterfaceImplementations.Length: 0 })
                {
                    yield return (member, declaring);
                }
            }
        }
    }

    /// <summary>The value a result carries: <c>T</c> of <c>Task&lt;T&gt;</c>, <c>ValueTask&lt;T&gt;</c> and <c>IAsyncEnumerable&lt;T&gt;</c>, the type itself otherwise, none for <c>Task</c> and <c>ValueTask</c>.</summary>
    private static ITypeSymbol? UnwrapResult(ITypeSymbol type)
    {
        if (RemoteSymbols.IsTask(type) || RemoteSymbols.IsValueTask(type))
        {
            return null;
        }

        return RemoteSymbols.IsTaskOfT(type) || RemoteSymbols.IsValueTaskOfT(type) || RemoteSymbols.IsAsyncEnumerable(type)
            ? ((INamedTypeSymbol)type).TypeArguments[0]
            : type;
    }

    private RemoteInterfaceModel? Parse()
    {
        if (RemoteSymbols.IsGenericOrInGeneric(_interface))
        {
            var container = _interface.ContainingType;
            while (container is { Arity: 0 })
            {
                container = container.ContainingType;
            }

            Report(DiagnosticDescriptors.GenericInterface, _interface.Locations.FirstOrDefault(), TypeNames.Display(_interface),
                _interface.Arity == 0 && container is not null ? $" (it is nested in the generic '{TypeNames.Short(container)}')" : string.Empty);
            return null;
        }

        if (GetInaccessibility() is { } why)
        {
            Report(DiagnosticDescriptors.InaccessibleInterface, _interface.Locations.FirstOrDefault(), TypeNames.Display(_interface), why);
            return null;
        }

        foreach (var declaring in new[] { _interface }.Concat(_interface.AllInterfaces))
        {
            foreach (var member in declaring.GetMembers())
            {
                if (member.IsStatic && (member.IsAbstract || member.IsVirtual))
                {
                    Report(DiagnosticDescriptors.StaticAbstractMember, LocationOf(member, declaring, node: null), PathPrefix(declaring) + member.Name);
                }
            }
        }

        var members = new List<RemoteMemberModel>();
        var idOwners = new Dictionary<uint, RemoteMemberModel>();
        foreach (var (member, declaring) in EnumerateMembers(_interface))
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var model = member switch
            {
                IMethodSymbol method => ParseMethod(method, declaring),
                IPropertySymbol property => ParseProperty(property, declaring),
                IEventSymbol @event => ReportEvent(@event, declaring),
                _ => null,
            };

            if (model is null)
            {
                continue;
            }

            if (idOwners.TryGetValue(model.Id, out var owner))
            {
                Report(DiagnosticDescriptors.MethodIdCollision, LocationHere(member, declaring), PathPrefix(declaring) + member.Name,
                    MethodIds.Literal(model.Id).TrimEnd('u'), model.Signature, owner.Signature, TypeNames.Display(_interface));
                continue;
            }

            idOwners.Add(model.Id, model);
            members.Add(model);
        }

        if (_hasErrors)
        {
            return null;
        }

        return new RemoteInterfaceModel(
            TypeNames.HintName(_interface),
            TypeNames.FullyQualified(_interface),
            TypeNames.Display(_interface),
            _interface.Name,
            EquatableArray.From(members),
            _interface.AllInterfaces.Any(RemoteSymbols.IsAsyncDisposable));
    }

    private RemoteMemberModel? ParseMethod(IMethodSymbol method, INamedTypeSymbol declaring)
    {
        var path = PathPrefix(declaring) + method.Name;
        if (method.IsGenericMethod)
        {
            Report(DiagnosticDescriptors.GenericMethod, LocationOf(method, declaring, node: null), path);
            return null;
        }

        var syntax = GetSyntax(method) as MethodDeclarationSyntax;
        if (method.RefKind != RefKind.None)
        {
            Report(DiagnosticDescriptors.ByReference, LocationOf(method, declaring, syntax?.ReturnType), path + "(return)", RefKindText(method.RefKind, isReturn: true));
        }

        var result = ParseResult(method.ReturnType, method.ReturnsVoid, path + "(return)", LocationOf(method, declaring, syntax?.ReturnType));
        var parameters = ParseParameters(method.Parameters, declaring, path, indexer: false);
        var oneWay = RemoteSymbols.IsOneWay(method);
        if (oneWay)
        {
            if (result.Kind is not (ReturnKind.Void or ReturnKind.Task or ReturnKind.ValueTask))
            {
                Report(DiagnosticDescriptors.OneWayWithReply, LocationOf(method, declaring, node: null), path, $"returns '{TypeNames.Short(method.ReturnType)}'");
            }
            else if (parameters.FirstOrDefault(static p => p.Kind == ParameterKind.Progress) is { } progress)
            {
                Report(DiagnosticDescriptors.OneWayWithReply, LocationOf(method, declaring, node: null), path, $"takes progress '{progress.Name}'");
            }
        }

        var signature = MethodIds.Signature(method, declaring);
        return new RemoteMemberModel(
            MemberKind.Method,
            TypeNames.FullyQualified(declaring),
            TypeNames.Identifier(method.Name),
            signature,
            MethodIds.Hash(signature),
            result,
            EquatableArray.From(parameters),
            oneWay);
    }

    private RemoteMemberModel? ParseProperty(IPropertySymbol property, INamedTypeSymbol declaring)
    {
        var path = PathPrefix(declaring) + (property.IsIndexer ? "this[]" : property.Name);
        if (property.SetMethod is { } setter)
        {
            Report(DiagnosticDescriptors.SettableProperty, LocationOf(setter, declaring, node: null), path);
        }

        var syntax = GetSyntax(property) as BasePropertyDeclarationSyntax;
        if (property.RefKind != RefKind.None)
        {
            Report(DiagnosticDescriptors.ByReference, LocationOf(property, declaring, syntax?.Type), path, RefKindText(property.RefKind, isReturn: true));
        }

        if (property.GetMethod is not { } getter)
        {
            return null;
        }

        var result = ParseResult(property.Type, returnsVoid: false, path, LocationOf(property, declaring, syntax?.Type));
        var parameters = ParseParameters(property.Parameters, declaring, PathPrefix(declaring) + "this", indexer: true);
        var signature = MethodIds.Signature(getter, declaring);
        return new RemoteMemberModel(
            property.IsIndexer ? MemberKind.Indexer : MemberKind.Property,
            TypeNames.FullyQualified(declaring),
            property.IsIndexer ? string.Empty : TypeNames.Identifier(property.Name),
            signature,
            MethodIds.Hash(signature),
            result,
            EquatableArray.From(parameters),
            IsOneWay: false);
    }

    private RemoteMemberModel? ReportEvent(IEventSymbol @event, INamedTypeSymbol declaring)
    {
        Report(DiagnosticDescriptors.Event, LocationOf(@event, declaring, node: null), PathPrefix(declaring) + @event.Name);
        return null;
    }

    private RemoteReturnModel ParseResult(ITypeSymbol type, bool returnsVoid, string path, Location? location)
    {
        var typeName = returnsVoid ? "void" : TypeNames.Signature(type);
        if (returnsVoid)
        {
            return new RemoteReturnModel(ReturnKind.Void, typeName, string.Empty, false, string.Empty, false);
        }

        var kind = RemoteSymbols.IsTask(type) ? ReturnKind.Task
            : RemoteSymbols.IsValueTask(type) ? ReturnKind.ValueTask
            : RemoteSymbols.IsTaskOfT(type) ? ReturnKind.TaskOfValue
            : RemoteSymbols.IsValueTaskOfT(type) ? ReturnKind.ValueTaskOfValue
            : RemoteSymbols.IsAsyncEnumerable(type) ? ReturnKind.Stream
            : ReturnKind.Value;
        if (kind is ReturnKind.Task or ReturnKind.ValueTask)
        {
            return new RemoteReturnModel(kind, typeName, string.Empty, false, string.Empty, false);
        }

        var value = kind == ReturnKind.Value ? type : ((INamedTypeSymbol)type).TypeArguments[0];
        if (RemoteSymbols.IsRemoteInterface(value))
        {
            if (kind == ReturnKind.Stream)
            {
                Report(DiagnosticDescriptors.RemoteInterfaceAsValue, location, path, TypeNames.Display(value), "a stream item");
            }

            return new RemoteReturnModel(kind, typeName, TypeNames.Signature(value), true, TypeNames.FullyQualified(value), value.NullableAnnotation != NullableAnnotation.Annotated);
        }

        CheckSerializable(value, path, location);
        return new RemoteReturnModel(kind, typeName, TypeNames.Signature(value), false, string.Empty, false);
    }

    /// <summary>The parameters; messages name them <c>Method(parameter)</c>, or <c>this[parameter]</c> for an indexer's.</summary>
    private List<RemoteParameterModel> ParseParameters(IEnumerable<IParameterSymbol> parameters, INamedTypeSymbol declaring, string memberPath, bool indexer)
    {
        var list = parameters.ToList();
        var models = new List<RemoteParameterModel>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var parameter = list[i];
            var path = memberPath + (indexer ? "[" + parameter.Name + "]" : "(" + parameter.Name + ")");
            var type = parameter.Type;
            var typeLocation = LocationOf(parameter, declaring, (GetSyntax(parameter) as ParameterSyntax)?.Type);
            var name = TypeNames.Identifier(parameter.Name);
            var typeName = TypeNames.Signature(type);
            var nullable = type.NullableAnnotation == NullableAnnotation.Annotated;
            if (parameter.RefKind != RefKind.None)
            {
                Report(DiagnosticDescriptors.ByReference, LocationOf(parameter, declaring, node: null), path, RefKindText(parameter.RefKind, isReturn: false));
                continue;
            }

            if (RemoteSymbols.IsCancellationToken(type))
            {
                if (i != list.Count - 1)
                {
                    Report(DiagnosticDescriptors.CancellationTokenNotLast, LocationOf(parameter, declaring, node: null), path);
                }

                models.Add(new RemoteParameterModel(name, typeName, ParameterKind.CancellationToken, string.Empty, false, parameter.IsParams));
                continue;
            }

            if (RemoteSymbols.IsProgress(type))
            {
                var value = ((INamedTypeSymbol)type).TypeArguments[0];
                if (RemoteSymbols.IsRemoteInterface(value))
                {
                    Report(DiagnosticDescriptors.RemoteInterfaceAsValue, typeLocation, path, TypeNames.Display(value), "a progress value");
                }
                else
                {
                    CheckSerializable(value, path, typeLocation);
                }

                models.Add(new RemoteParameterModel(name, typeName, ParameterKind.Progress, TypeNames.Signature(value), !nullable, parameter.IsParams));
                continue;
            }

            if (RemoteSymbols.IsRemoteInterface(type))
            {
                models.Add(new RemoteParameterModel(name, typeName, ParameterKind.Remote, TypeNames.FullyQualified(type), !nullable, parameter.IsParams));
                continue;
            }

            CheckSerializable(type, path, typeLocation);
            var shape = _shapes.GetShape(type);
            var (kind, valueType) = shape.Kind switch
            {
                ShapeKind.Unmanaged => (ParameterKind.Unmanaged, typeName),
                ShapeKind.String => (ParameterKind.String, typeName),
                ShapeKind.UnmanagedArray => (ParameterKind.UnmanagedArray, shape.ElementTypeName!),
                _ => (ParameterKind.Formatter, typeName),
            };
            var forgiving = !type.IsValueType && !nullable && kind != ParameterKind.Unmanaged;
            models.Add(new RemoteParameterModel(name, typeName, kind, valueType, forgiving, parameter.IsParams));
        }

        return models;
    }

    private void CheckSerializable(ITypeSymbol type, string path, Location? location)
    {
        if (_sink is not null && location is not null && type.TypeKind != TypeKind.Error)
        {
            _sink.CheckSerializable(type, path, location);
        }
    }

    private void Report(DiagnosticDescriptor descriptor, Location? location, params object[] arguments)
    {
        _hasErrors |= descriptor.DefaultSeverity == DiagnosticSeverity.Error;
        if (_sink is not null && location is not null)
        {
            _sink.Report(descriptor, location, arguments);
        }
    }
}
