namespace Processional.Generators.Serialization.Walk;

/// <summary>
/// Why a type reached from a root cannot be serialized. The walk reports kinds; each kind of root maps them to its own
/// diagnostics (the serializer calls use <see cref="DiagnosticDescriptors.ForProblem"/>).
/// </summary>
internal enum ProblemKind
{
    /// <summary>A stream, handle, task or other live resource.</summary>
    Resource,

    /// <summary>A delegate.</summary>
    Delegate,

    /// <summary>A pointer, function pointer, <c>IntPtr</c>/<c>UIntPtr</c> or runtime handle.</summary>
    Pointer,

    /// <summary>A ref struct (<c>Span&lt;T&gt;</c>...).</summary>
    RefStruct,

    /// <summary>A type parameter, or a type built on one.</summary>
    TypeParameter,

    /// <summary>A class with no constructor the generated code can call.</summary>
    NoUsableConstructor,

    /// <summary>A type the generated code cannot name (private, protected, file-local, internal elsewhere).</summary>
    Inaccessible,

    /// <summary>An interface or abstract class with no known concrete type.</summary>
    NoConcreteTypes,

    /// <summary><c>object</c>, <c>dynamic</c> and the like: no static type to write.</summary>
    Untyped,

    /// <summary>More than 249 serialized members.</summary>
    TooManyMembers,

    /// <summary>A framework type with neither a built-in formatter nor a generated one.</summary>
    NoBuiltInFormatter,

    /// <summary>A <c>[Union]</c> list that is wrong (duplicate tags, types that do not derive from the base...).</summary>
    InvalidUnion,

    /// <summary>A user type deriving from a framework class other than <c>object</c>, whose state would be lost.</summary>
    FrameworkBaseType,
}
