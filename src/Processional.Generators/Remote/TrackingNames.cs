namespace Processional.Generators.Remote;

/// <summary>The names of the pipeline steps that tests inspect (<c>trackIncrementalGeneratorSteps</c>).</summary>
public static class TrackingNames
{
    /// <summary>The model of each [Remote] interface (null for one with a problem, which the analyzer reports).</summary>
    public const string RemoteInterfaces = nameof(RemoteInterfaces);

    /// <summary>The models of all [Remote] interfaces, in hint-name order with case-insensitively unique hint names.</summary>
    public const string AllRemoteInterfaces = nameof(AllRemoteInterfaces);

    /// <summary>One [Remote] interface per generated file.</summary>
    public const string RemoteFiles = nameof(RemoteFiles);

    /// <summary>Whether the compilation references the runtime's <c>RemoteExceptions</c>.</summary>
    public const string RuntimeReferenced = nameof(RuntimeReferenced);

    /// <summary>The model of each exception class declaration that can be registered.</summary>
    public const string ExceptionTypes = nameof(ExceptionTypes);

    /// <summary>The models of all registrable exception types, de-duplicated, in hint-name order.</summary>
    public const string AllExceptionTypes = nameof(AllExceptionTypes);

    /// <summary>One exception type per generated file.</summary>
    public const string ExceptionFiles = nameof(ExceptionFiles);
}
