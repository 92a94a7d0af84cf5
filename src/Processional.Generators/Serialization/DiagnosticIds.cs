namespace Processional.Generators.Serialization;

/// <summary>
/// The ids of the serialization diagnostics (PROC1xx; PROC2xx belong to [Remote] interfaces, PROC3xx to lambdas), as
/// constants for tests and for <c>#pragma warning disable</c>.
/// </summary>
public static class DiagnosticIds
{
    /// <summary>A stream, handle, task or other live resource.</summary>
    public const string ResourceType = "PROC100";

    /// <summary>A delegate.</summary>
    public const string DelegateType = "PROC101";

    /// <summary>A pointer, <c>IntPtr</c>/<c>UIntPtr</c> or runtime handle.</summary>
    public const string PointerType = "PROC102";

    /// <summary>A ref struct such as <c>Span&lt;T&gt;</c>.</summary>
    public const string RefStructType = "PROC103";

    /// <summary>A type parameter: the call gives the generator no concrete type (information).</summary>
    public const string TypeParameter = "PROC104";

    /// <summary>A class with no constructor that generated code can call.</summary>
    public const string NoUsableConstructor = "PROC105";

    /// <summary>A type that generated code cannot name.</summary>
    public const string InaccessibleType = "PROC106";

    /// <summary>An interface or abstract class with no known concrete type.</summary>
    public const string NoConcreteTypes = "PROC107";

    /// <summary><c>object</c>, <c>dynamic</c> and the like.</summary>
    public const string UntypedValue = "PROC108";

    /// <summary>More than 249 serialized members.</summary>
    public const string TooManyMembers = "PROC109";

    /// <summary>A framework type with no built-in formatter (warning).</summary>
    public const string NoBuiltInFormatter = "PROC110";

    /// <summary>A wrong <c>[Union]</c> list.</summary>
    public const string InvalidUnion = "PROC111";

    /// <summary>A type deriving from a framework class whose state would be lost.</summary>
    public const string FrameworkBaseType = "PROC112";
}
