using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Processional.Generators.Remote;

/// <summary>
/// The [Remote] interface diagnostics. Each message names the member (<c>Method(parameter)</c> for a parameter,
/// <c>Method(return)</c> for a result) and says how to fix it.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Processional.Remote";

    public static readonly DiagnosticDescriptor GenericMethod = new(
        DiagnosticIds.GenericMethod,
        "A [Remote] interface cannot have a generic method",
        "'{0}' is a generic method, which a [Remote] interface cannot have: its proxy and its method id need concrete types; give it concrete parameter types, or declare one method per type",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ByReference = new(
        DiagnosticIds.ByReference,
        "A [Remote] method cannot take or return values by reference",
        "'{0}' is declared '{1}', but a [Remote] call copies the arguments to the callee and the result back, and nothing else; pass the value normally and return what the caller needs (a tuple or a record for several values)",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor Event = new(
        DiagnosticIds.Event,
        "A [Remote] interface cannot have an event",
        "'{0}' is an event, which a [Remote] interface cannot have: a proxy cannot subscribe to an event in another process; pass a [Remote] callback interface to a method instead (for example Subscribe(IListener listener))",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor SettableProperty = new(
        DiagnosticIds.SettableProperty,
        "A [Remote] interface cannot have a settable property",
        "'{0}' has a setter, which a [Remote] interface cannot have: setting a remote property could neither be awaited nor report a failure; make the property get-only and add a method that sets it (for example SetNameAsync(string name))",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor CancellationTokenNotLast = new(
        DiagnosticIds.CancellationTokenNotLast,
        "The CancellationToken of a [Remote] method must be its last parameter",
        "'{0}' is a CancellationToken that is not the last parameter; a [Remote] method takes at most one CancellationToken, last: move it to the end of the parameter list",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NotSerializable = new(
        DiagnosticIds.NotSerializable,
        "A parameter or result of a [Remote] method cannot be serialized",
        "{0} ({1}); parameters and results of [Remote] methods are sent by value, except [Remote] interfaces, which are sent by reference",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NoBuiltInFormatter = new(
        DiagnosticIds.NoBuiltInFormatter,
        "A parameter or result of a [Remote] method has no built-in formatter",
        "{0} ({1}); parameters and results of [Remote] methods are sent by value, except [Remote] interfaces, which are sent by reference",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor OneWayWithReply = new(
        DiagnosticIds.OneWayWithReply,
        "A [OneWay] method cannot return a value or take progress",
        "'{0}' is [OneWay] but {1}; a one-way call gets no reply, so it can only return void, Task or ValueTask and take no IProgress<T>: remove [OneWay], or drop the result",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GenericInterface = new(
        DiagnosticIds.GenericInterface,
        "A [Remote] interface cannot be generic",
        "[Remote] interface '{0}' is generic{1}, which is not supported: a proxy, a dispatcher and method ids are generated for a concrete interface; declare a non-generic interface per type argument (for example IOrderRepository instead of IRepository<Order>)",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InaccessibleInterface = new(
        DiagnosticIds.InaccessibleInterface,
        "Generated code cannot access the [Remote] interface",
        "[Remote] interface '{0}' cannot be accessed by generated code ({1}); make it public or internal, outside any private or protected type",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MethodIdCollision = new(
        DiagnosticIds.MethodIdCollision,
        "Two members of a [Remote] interface have the same method id",
        "'{0}' has method id {1}, the hash of its signature '{2}', which is also the id of '{3}' in [Remote] interface '{4}'; rename one of the two",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor RemoteInterfaceAsValue = new(
        DiagnosticIds.RemoteInterfaceAsValue,
        "A [Remote] interface cannot be a stream item or a progress value",
        "'{0}' uses [Remote] interface '{1}' as {2}, which can only hold values; [Remote] objects travel by reference only as a parameter, a return value, or the result of a Task or ValueTask: return or pass them one by one",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor StaticAbstractMember = new(
        DiagnosticIds.StaticAbstractMember,
        "A [Remote] interface cannot have static abstract or static virtual members",
        "'{0}' is a static abstract or static virtual member, which a [Remote] interface cannot have: a proxy is an object of the peer, and the interface must be usable as a type argument; move the member to another interface, or make it an instance method",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
        GenericMethod,
        ByReference,
        Event,
        SettableProperty,
        CancellationTokenNotLast,
        NotSerializable,
        NoBuiltInFormatter,
        OneWayWithReply,
        GenericInterface,
        InaccessibleInterface,
        MethodIdCollision,
        RemoteInterfaceAsValue,
        StaticAbstractMember);
}
