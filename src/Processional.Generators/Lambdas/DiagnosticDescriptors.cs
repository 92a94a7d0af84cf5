using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Processional.Generators.Lambdas;

/// <summary>
/// The diagnostics about lambdas shipped to other processes. Each is reported at the captured variable (its first use in
/// the lambda), at the lambda, or at the call, and says what to do.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Processional.Lambdas";

    public static readonly DiagnosticDescriptor CaptureNotSerializable = new(
        DiagnosticIds.CaptureNotSerializable,
        "A captured variable cannot be serialized",
        "{0} ({1}); the variables a lambda sent to another process captures travel with it by value: capture only data (or [Remote] interfaces and Remote<T> handles), or build the value inside the lambda",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor CaptureWithoutFormatter = new(
        DiagnosticIds.CaptureWithoutFormatter,
        "A captured variable has no built-in formatter",
        "{0} ({1}); the variables a lambda sent to another process captures travel with it by value: capture a supported type, or register a formatter and suppress this warning",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor CaptureIsResource = new(
        DiagnosticIds.CaptureIsResource,
        "A lambda sent to another process cannot capture a live resource",
        "'{0}' is a '{1}', a stream, handle or other live resource of this process that a lambda sent to another process cannot take with it; capture the data it holds (a byte[], a path) and open or create the resource inside the lambda",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor CaptureIsProcessBound = new(
        DiagnosticIds.CaptureIsProcessBound,
        "A lambda sent to another process cannot capture a process, thread, connection, task or cancellation token",
        "'{0}' is a '{1}', which belongs to this process and means nothing in the slave; {2}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ThisNotSerializable = new(
        DiagnosticIds.ThisNotSerializable,
        "A lambda sent to another process uses 'this', which cannot be serialized",
        "The lambda uses 'this', which travels to the slave by value, but {0} ({1}); copy what the lambda needs into local variables before the call and use those, or make '{2}' serializable",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ResultNotSerializable = new(
        DiagnosticIds.ResultNotSerializable,
        "The result of a lambda sent to another process cannot be serialized",
        "The lambda's {0} ({1}); results come back by value: return data, or keep the object in the slave with WrapAsync (a Remote<T> handle) or CreateAsync (a [Remote] interface proxy)",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ResultWithoutFormatter = new(
        DiagnosticIds.ResultWithoutFormatter,
        "The result of a lambda sent to another process has no built-in formatter",
        "The lambda's {0} ({1}); results come back by value: return a supported type, or register a formatter and suppress this warning",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NotRemoteInterface = new(
        DiagnosticIds.NotRemoteInterface,
        "CreateAsync needs a [Remote] interface",
        "CreateAsync<{0}> needs a [Remote] interface, and '{0}' is not one; mark the interface [Remote], or use WrapAsync to keep the object in the slave behind a Remote<T> handle",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnseenDelegate = new(
        DiagnosticIds.UnseenDelegate,
        "The delegate is not a lambda written at the call",
        "This delegate is not a lambda written at the call, so the generator cannot ship its captured variables: {0} throws NotSupportedException at run time unless the delegate comes from a lambda passed to a parameter marked [Remote]; write the lambda in the call (slave.{0}(() => ...)), or mark the parameter it came through [Remote]",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GenericContext = new(
        DiagnosticIds.GenericContext,
        "A lambda sent to another process cannot be written in a generic method or type",
        "This lambda is written in generic {0} '{1}', whose compiled lambdas and closures are generic too, and the other process cannot rebuild them; move the call into a non-generic method and pass it the values it needs",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor CaptureAssigned = new(
        DiagnosticIds.CaptureAssigned,
        "A lambda sent to another process assigns a captured variable",
        "The lambda assigns captured variable '{0}', but it runs in another process on a copy: only the slave's copy changes and '{0}' keeps its value here; return the new value from the lambda instead",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedMethodGroup = new(
        DiagnosticIds.UnsupportedMethodGroup,
        "Only a lambda or a static method can be sent to another process",
        "'{0}' is {1}, which cannot be sent to another process; write a lambda at the call instead (() => {0}(...)): its captured variables travel with it",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor RemoteParameterNotSupported = new(
        DiagnosticIds.RemoteParameterNotSupported,
        "The lambda passed to a [Remote] parameter cannot be intercepted",
        "'{0}' has a [Remote] delegate parameter, but {1}, so the generator cannot attach this lambda to its delegate and it will not ship; {2}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor PrimaryConstructorParameter = new(
        DiagnosticIds.PrimaryConstructorParameter,
        "A lambda sent to another process cannot capture a primary constructor parameter",
        "The lambda uses primary constructor parameter '{0}', which the compiler keeps in a hidden field of 'this'; copy it into a local variable before the call (var {0}Value = {0};) and use that in the lambda",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InaccessibleType = new(
        DiagnosticIds.InaccessibleType,
        "Generated code cannot name a type of the call",
        "{0} has type '{1}', which the generated interceptor must name but cannot ({2}); make the type internal or public",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor RemoteParameterKind = new(
        DiagnosticIds.RemoteParameterKind,
        "A delegate from a [Remote] parameter can only be invoked",
        "'{0}' comes from a [Remote] parameter, whose lambda ships with Invoke and InvokeAsync semantics only (it returns its value to the caller), so {1} cannot use it; write the lambda at this call, or pass the delegate to Invoke or InvokeAsync",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
        CaptureNotSerializable,
        CaptureWithoutFormatter,
        CaptureIsResource,
        CaptureIsProcessBound,
        ThisNotSerializable,
        ResultNotSerializable,
        ResultWithoutFormatter,
        NotRemoteInterface,
        UnseenDelegate,
        GenericContext,
        CaptureAssigned,
        UnsupportedMethodGroup,
        RemoteParameterNotSupported,
        PrimaryConstructorParameter,
        InaccessibleType,
        RemoteParameterKind);
}
