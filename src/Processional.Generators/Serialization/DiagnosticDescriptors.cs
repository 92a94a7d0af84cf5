using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Processional.Generators.Serialization.Walk;

namespace Processional.Generators.Serialization;

/// <summary>
/// The serialization diagnostics. Every message has the same arguments: <c>{0}</c> the member path from the root,
/// <c>{1}</c> the offending type, <c>{2}</c> a detail for the rules that give one.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Processional.Serialization";

    public static readonly DiagnosticDescriptor ResourceType = new(
        DiagnosticIds.ResourceType,
        "A live resource cannot be serialized",
        "'{0}' is a '{1}', a stream, handle, task or other live resource that cannot cross a process boundary; send the data it holds instead (for example a byte[]), or mark the member [IgnoreMember]",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DelegateType = new(
        DiagnosticIds.DelegateType,
        "A delegate cannot be serialized",
        "'{0}' is a delegate ('{1}'), which cannot cross a process boundary; send data that says what to do instead, or mark the member [IgnoreMember]",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor PointerType = new(
        DiagnosticIds.PointerType,
        "A pointer or handle cannot be serialized",
        "'{0}' is a pointer or native handle ('{1}'), meaningless in another process; if it holds a plain number use long or ulong, otherwise mark the member [IgnoreMember]",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor RefStructType = new(
        DiagnosticIds.RefStructType,
        "A ref struct cannot be serialized",
        "'{0}' is a ref struct ('{1}'), which cannot be stored or serialized; use an array or Memory<T> instead, or mark the member [IgnoreMember]",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor TypeParameter = new(
        DiagnosticIds.TypeParameter,
        "A type parameter roots no formatter",
        "'{0}' is or contains a type parameter ('{1}'), so this call gives the generator no concrete type to write a formatter for; make sure each concrete type is used in a ProcessionalSerializer call of its own, or register a formatter for it",
        Category,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NoUsableConstructor = new(
        DiagnosticIds.NoUsableConstructor,
        "A type without a usable constructor cannot be deserialized",
        "'{0}' has type '{1}', which generated code cannot create: {2}; add a public constructor whose parameters match public members by name and type (or a parameterless one)",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InaccessibleType = new(
        DiagnosticIds.InaccessibleType,
        "Generated code cannot access the type",
        "'{0}' has type '{1}', which generated code cannot access ({2}); make it internal or public",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NoConcreteTypes = new(
        DiagnosticIds.NoConcreteTypes,
        "An interface or abstract class without known concrete types cannot be serialized",
        "'{0}' has type '{1}', an interface or abstract class with no concrete type known to the generator; declare a non-abstract, non-generic implementation in this project, or list the concrete types with [Union(tag, typeof(T))] on '{1}'",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UntypedValue = new(
        DiagnosticIds.UntypedValue,
        "A value typed object or dynamic cannot be serialized",
        "'{0}' has type '{1}', which says nothing about what it holds; give it a concrete type, or an interface or abstract class whose implementations the generator knows",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor TooManyMembers = new(
        DiagnosticIds.TooManyMembers,
        "A type has more members than the wire format allows",
        "'{0}' has type '{1}' with {2} serialized members, more than the 249 the wire format allows; group members into nested types, or mark some [IgnoreMember]",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NoBuiltInFormatter = new(
        DiagnosticIds.NoBuiltInFormatter,
        "A framework type has no built-in formatter",
        "'{0}' has type '{1}', which has no built-in formatter and for which none is generated{2}; use a supported type, or write a ProcessionalFormatter<T> for it in this project and register it with ProcessionalFormatterProvider before serializing",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidUnion = new(
        DiagnosticIds.InvalidUnion,
        "A [Union] list is invalid",
        "'{0}' has type '{1}', whose [Union] list is invalid: {2}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor FrameworkBaseType = new(
        DiagnosticIds.FrameworkBaseType,
        "A type deriving from a framework class cannot be serialized",
        "'{0}' has type '{1}', which derives from '{2}': only members of your own types are serialized, so the state of '{2}' would be lost; hold a '{2}' in a member instead of deriving from it",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
        ResourceType,
        DelegateType,
        PointerType,
        RefStructType,
        TypeParameter,
        NoUsableConstructor,
        InaccessibleType,
        NoConcreteTypes,
        UntypedValue,
        TooManyMembers,
        NoBuiltInFormatter,
        InvalidUnion,
        FrameworkBaseType);

    /// <summary>
    /// The serializer's rule for a problem and its message, for a rule of another context (a lambda's capture, a
    /// [Remote] parameter) that quotes what is wrong and how to fix it.
    /// </summary>
    public static (DiagnosticDescriptor Rule, string Message) Describe(Walk.SerializationProblem problem)
    {
        var rule = ForProblem(problem.Kind);
        var message = string.Format(
            System.Globalization.CultureInfo.InvariantCulture,
            rule.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture),
            problem.Path,
            problem.TypeName,
            problem.Detail);
        return (rule, message);
    }

    /// <summary>The diagnostic that a serializer call reports for a problem the walk found.</summary>
    public static DiagnosticDescriptor ForProblem(ProblemKind kind) => kind switch
    {
        ProblemKind.Resource => ResourceType,
        ProblemKind.Delegate => DelegateType,
        ProblemKind.Pointer => PointerType,
        ProblemKind.RefStruct => RefStructType,
        ProblemKind.TypeParameter => TypeParameter,
        ProblemKind.NoUsableConstructor => NoUsableConstructor,
        ProblemKind.Inaccessible => InaccessibleType,
        ProblemKind.NoConcreteTypes => NoConcreteTypes,
        ProblemKind.Untyped => UntypedValue,
        ProblemKind.TooManyMembers => TooManyMembers,
        ProblemKind.NoBuiltInFormatter => NoBuiltInFormatter,
        ProblemKind.InvalidUnion => InvalidUnion,
        _ => FrameworkBaseType,
    };
}
