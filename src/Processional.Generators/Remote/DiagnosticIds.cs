namespace Processional.Generators.Remote;

/// <summary>
/// The ids of the [Remote] interface diagnostics (PROC2xx), as constants for tests and for <c>#pragma warning disable</c>.
/// </summary>
public static class DiagnosticIds
{
    /// <summary>A generic method.</summary>
    public const string GenericMethod = "PROC200";

    /// <summary>A <c>ref</c>, <c>out</c> or <c>in</c> parameter, or a result returned by reference.</summary>
    public const string ByReference = "PROC201";

    /// <summary>An event.</summary>
    public const string Event = "PROC202";

    /// <summary>A property with a setter or an <c>init</c> accessor.</summary>
    public const string SettableProperty = "PROC203";

    /// <summary>A <c>CancellationToken</c> that is not the last parameter.</summary>
    public const string CancellationTokenNotLast = "PROC204";

    /// <summary>A parameter or result that cannot be serialized (with its member path).</summary>
    public const string NotSerializable = "PROC205";

    /// <summary>A parameter or result of a framework type with no built-in formatter (warning).</summary>
    public const string NoBuiltInFormatter = "PROC206";

    /// <summary><c>[OneWay]</c> on a method that returns a value or takes progress.</summary>
    public const string OneWayWithReply = "PROC207";

    /// <summary>A generic [Remote] interface, or one nested in a generic type.</summary>
    public const string GenericInterface = "PROC208";

    /// <summary>A [Remote] interface that generated code cannot access.</summary>
    public const string InaccessibleInterface = "PROC209";

    /// <summary>Two members of one [Remote] interface whose method ids collide.</summary>
    public const string MethodIdCollision = "PROC210";

    /// <summary>A [Remote] interface used where only values go: a stream item or a progress value.</summary>
    public const string RemoteInterfaceAsValue = "PROC211";

    /// <summary>A static abstract or static virtual member, which makes the interface unusable as a type argument.</summary>
    public const string StaticAbstractMember = "PROC212";
}
