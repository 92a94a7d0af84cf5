namespace Processional.Generators.Lambdas;

/// <summary>
/// The ids of the diagnostics about lambdas shipped to other processes (PROC3xx), as constants for tests and for
/// <c>#pragma warning disable</c>.
/// </summary>
public static class DiagnosticIds
{
    /// <summary>A captured variable that cannot be serialized (with its member path).</summary>
    public const string CaptureNotSerializable = "PROC300";

    /// <summary>A captured variable of a framework type with no built-in formatter (warning).</summary>
    public const string CaptureWithoutFormatter = "PROC301";

    /// <summary>A captured stream, handle or other live resource.</summary>
    public const string CaptureIsResource = "PROC302";

    /// <summary>A captured process, thread, connection, task or cancellation token: things of this process.</summary>
    public const string CaptureIsProcessBound = "PROC303";

    /// <summary>A captured <c>this</c> whose type cannot be serialized.</summary>
    public const string ThisNotSerializable = "PROC304";

    /// <summary>A lambda's result that cannot be serialized.</summary>
    public const string ResultNotSerializable = "PROC305";

    /// <summary>A lambda's result of a framework type with no built-in formatter (warning).</summary>
    public const string ResultWithoutFormatter = "PROC306";

    /// <summary><c>CreateAsync&lt;TInterface&gt;</c> with a type that is not a [Remote] interface.</summary>
    public const string NotRemoteInterface = "PROC307";

    /// <summary>A delegate that is not a lambda written at the call (warning: it throws at run time unless it came through a [Remote] parameter).</summary>
    public const string UnseenDelegate = "PROC308";

    /// <summary>A lambda written inside a generic method or type.</summary>
    public const string GenericContext = "PROC309";

    /// <summary>A lambda that assigns a captured variable, which changes only the slave's copy (warning).</summary>
    public const string CaptureAssigned = "PROC310";

    /// <summary>A method group that is not a static method generated code can call.</summary>
    public const string UnsupportedMethodGroup = "PROC311";

    /// <summary>A lambda passed to a [Remote] delegate parameter of a method the generator cannot intercept.</summary>
    public const string RemoteParameterNotSupported = "PROC312";

    /// <summary>A captured primary constructor parameter.</summary>
    public const string PrimaryConstructorParameter = "PROC313";

    /// <summary>A type the generated interceptor must name but cannot (private, file-local, anonymous).</summary>
    public const string InaccessibleType = "PROC314";

    /// <summary>A delegate from a [Remote] parameter passed to <c>WrapAsync</c>, <c>CreateAsync</c> or <c>RunThreadAsync</c>, which run it only as <c>InvokeAsync</c> does.</summary>
    public const string RemoteParameterKind = "PROC315";
}
