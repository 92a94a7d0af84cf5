using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Processional.Hosting;

/// <summary>
/// The captured state of a lambda: read from the caller's delegate, or rebuilt where the lambda runs. Generated code
/// gets and sets each captured variable by its index in <see cref="RemoteLambda.Captures"/>. Not for direct use.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class LambdaClosure
{
    private readonly CaptureLayout _layout;
    private object? _target;

    private LambdaClosure(object? target, CaptureLayout layout)
    {
        _target = target;
        _layout = layout;
    }

    /// <summary>Gets captured variable <paramref name="index"/>.</summary>
    /// <typeparam name="T">Its type.</typeparam>
    /// <param name="index">Its index in <see cref="RemoteLambda.Captures"/>.</param>
    /// <returns>Its value.</returns>
    public T Get<T>(int index)
    {
        object? current = _target;
        foreach (var field in _layout.Paths[index])
        {
            current = field.GetValue(current);
        }

        return (T)current!;
    }

    /// <summary>Sets captured variable <paramref name="index"/> of a closure being rebuilt.</summary>
    /// <typeparam name="T">Its type.</typeparam>
    /// <param name="index">Its index in <see cref="RemoteLambda.Captures"/>.</param>
    /// <param name="value">Its value.</param>
    public void Set<T>(int index, T value)
    {
        var path = _layout.Paths[index];
        if (path.Length == 0)
        {
            // The lambda captures only `this`: the closure is the deserialized instance itself.
            _target = value;
            return;
        }

        var current = _target!;
        for (var i = 0; i < path.Length - 1; i++)
        {
            var parent = path[i].GetValue(current);
            if (parent is null)
            {
                parent = RuntimeHelpers.GetUninitializedObject(path[i].FieldType);
                path[i].SetValue(current, parent);
            }

            current = parent;
        }

        path[^1].SetValue(current, value);
    }

    /// <summary>The captured state of <paramref name="lambda"/>'s delegate <paramref name="caller"/>.</summary>
    internal static LambdaClosure Of(RemoteLambda lambda, Delegate caller)
    {
        var target = caller.Target;
        var layout = target is null ? lambda.LayoutFor(typeof(object), caller.Method) : lambda.LayoutFor(target.GetType(), caller.Method);
        return new LambdaClosure(target, layout);
    }

    /// <summary>An empty closure for <paramref name="method"/>, to be filled by the generated capture reader.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = "Closure classes are kept with the lambdas that use them.")]
    internal static LambdaClosure Create(RemoteLambda lambda, MethodInfo method)
    {
        var type = method.DeclaringType!;
        var layout = lambda.LayoutFor(type, method);
        object? target = null;
        if (!method.IsStatic && (lambda.Captures.Count == 0 || type.Name.StartsWith('<')))
        {
            // A closure class (or the compiler's singleton class of lambdas that capture nothing).
            target = RuntimeHelpers.GetUninitializedObject(type);
        }

        return new LambdaClosure(target, layout);
    }

    /// <summary>Makes the delegate of the rebuilt lambda.</summary>
    internal Delegate CreateDelegate(Type delegateType, MethodInfo method) =>
        method.IsStatic ? Delegate.CreateDelegate(delegateType, method) : Delegate.CreateDelegate(delegateType, _target, method);
}
