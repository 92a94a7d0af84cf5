using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Processional.Hosting;

/// <summary>
/// Where each captured variable of a lambda lives in its closure: a field of the closure object, possibly reached
/// through the parent closures of enclosing scopes (the compiler's <c>CS$&lt;&gt;8__locals</c> fields), or the closure
/// object itself when the lambda captures only <c>this</c> and is compiled as an instance method of the enclosing class.
/// </summary>
internal sealed class CaptureLayout
{
    private const string ThisName = "this";
    private const string ThisField = "<>4__this";
    private const string ParentPrefix = "CS$<>8__locals";

    private CaptureLayout(FieldInfo[][] paths) => Paths = paths;

    /// <summary>For each capture, the fields from the closure to the variable (empty: the closure itself).</summary>
    public FieldInfo[][] Paths { get; }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Closure classes are kept with the lambdas that use them.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Closure classes are kept with the lambdas that use them.")]
    public static CaptureLayout Create(Type closureType, MethodInfo method, RemoteLambda lambda)
    {
        var paths = new FieldInfo[lambda.Captures.Count][];
        for (var i = 0; i < paths.Length; i++)
        {
            var name = lambda.Captures[i];
            if (name == ThisName && !IsCompilerGenerated(closureType))
            {
                // Only `this` is captured: the lambda is an instance method of the enclosing class itself.
                paths[i] = [];
                continue;
            }

            paths[i] = Find(closureType, name == ThisName ? ThisField : name, depth: 0)
                ?? throw new InvalidOperationException(
                    $"The lambda {lambda} captures '{name}', but its closure {closureType} has no such field: the compiler laid the closure out in a way Processional does not know.");
        }

        return new CaptureLayout(paths);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Closure classes are kept with the lambdas that use them.")]
    private static FieldInfo[]? Find(Type type, string name, int depth)
    {
        const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        if (type.GetField(name, Instance) is { } direct)
        {
            return [direct];
        }

        if (depth > 16)
        {
            return null;
        }

        foreach (var parent in type.GetFields(Instance))
        {
            if (parent.Name.StartsWith(ParentPrefix, StringComparison.Ordinal) && Find(parent.FieldType, name, depth + 1) is { } rest)
            {
                return [parent, .. rest];
            }
        }

        return null;
    }

    private static bool IsCompilerGenerated(Type type) => type.Name.StartsWith('<');
}
