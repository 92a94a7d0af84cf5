using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;
using Processional.Rpc;

namespace Processional.Hosting;

/// <summary>
/// A lambda written at one call site that ships to another process (a call of <see cref="SlaveProcess"/>'s
/// <c>Invoke</c>/<c>Wrap</c>/<c>Create</c> methods, or of a method whose delegate parameter is marked
/// <see cref="RemoteAttribute">[Remote]</see>). The source generator writes one subclass per call site: it writes and
/// reads the lambda's captured variables with generated serializers and runs the lambda where it lands. Both processes
/// run the same program, so the lambda's compiled method is found there by its metadata token. Not for direct use.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class RemoteLambda
{
    private readonly ConcurrentDictionary<Type, CaptureLayout> _layouts = new();
    private MethodInfo? _method;

    /// <summary>Creates the lambda of a call site.</summary>
    /// <param name="id">A stable id of the call site, the same in every process running the program.</param>
    /// <param name="captures">The names of the captured variables, in the order they are written; <c>this</c> for the enclosing instance.</param>
    /// <param name="containingMethod">
    /// The metadata name of the member the lambda is written in (<c>Main</c>, <c>&lt;Main&gt;$</c>, <c>.ctor</c>,
    /// <c>get_Value</c>), checked against the method found by token.
    /// </param>
    protected RemoteLambda(ulong id, string[] captures, string containingMethod)
    {
        ArgumentNullException.ThrowIfNull(captures);
        Id = id;
        Captures = captures;
        ContainingMethod = containingMethod;
    }

    /// <summary>The call site's id.</summary>
    public ulong Id { get; }

    /// <summary>The names of the captured variables.</summary>
    public IReadOnlyList<string> Captures { get; }

    /// <summary>The name of the method the lambda is written in.</summary>
    public string ContainingMethod { get; }

    /// <summary>The delegate type the lambda is rebuilt as (<c>Func&lt;int&gt;</c>, <c>Action</c>, ...).</summary>
    protected internal abstract Type DelegateType { get; }

    /// <summary>Writes the captured variables, read from the delegate's closure, in the order of <see cref="Captures"/>.</summary>
    /// <param name="call">The call being made.</param>
    /// <param name="closure">The delegate's captured state.</param>
    protected internal abstract void WriteCaptures(ref RpcCall call, LambdaClosure closure);

    /// <summary>Reads the captured variables into a new closure, in the order of <see cref="Captures"/>.</summary>
    /// <param name="request">The request being handled.</param>
    /// <param name="closure">The closure being rebuilt.</param>
    protected internal abstract void ReadCaptures(ref RpcRequest request, LambdaClosure closure);

    /// <summary>Runs the rebuilt lambda and hands its outcome to the request.</summary>
    /// <param name="lambda">The lambda.</param>
    /// <param name="request">The request being handled.</param>
    protected internal abstract void Run(Delegate lambda, ref RpcRequest request);

    /// <summary>The layout of the captured variables in a closure of type <paramref name="closureType"/>.</summary>
    internal CaptureLayout LayoutFor(Type closureType, MethodInfo method) =>
        _layouts.TryGetValue(closureType, out var layout) ? layout : AddLayout(closureType, method);

    // Apart, so that the closure of its lambda is only allocated when a layout is made.
    private CaptureLayout AddLayout(Type closureType, MethodInfo method) =>
        _layouts.GetOrAdd(closureType, type => CaptureLayout.Create(type, method, this));

    /// <summary>Finds the lambda's compiled method in this process, from what the caller sent.</summary>
    internal MethodInfo ResolveMethod(Guid moduleVersionId, int metadataToken)
    {
        var cached = Volatile.Read(ref _method);
        if (cached is not null && cached.MetadataToken == metadataToken && cached.Module.ModuleVersionId == moduleVersionId)
        {
            return cached;
        }

        var module = LambdaModules.Find(moduleVersionId)
            ?? throw new InvalidOperationException($"The module {moduleVersionId} of the lambda {this} is not loaded in this process: the two processes do not run the same program.");
        MethodBase? method;
        try
        {
            method = module.ResolveMethod(metadataToken);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"Method token 0x{metadataToken:x8} of the lambda {this} does not exist in {module.Name}.", ex);
        }

        // Only a lambda written in the expected method (a compiler-generated method, or the method's own class for a
        // lambda that captures only `this`) may run: a token from the wire never reaches another method.
        if (method is not MethodInfo info || !IsLambdaOf(info))
        {
            throw new InvalidOperationException($"Method token 0x{metadataToken:x8} does not designate the lambda {this}.");
        }

        Volatile.Write(ref _method, info);
        return info;
    }

    /// <inheritdoc/>
    public override string ToString() => $"written in {ContainingMethod} (call site {Id:x16})";

    // The compiler names a lambda (or local function) written in method M "<M>b__..." ("<M>g__..."), whether it lives
    // in a closure class or, when it captures only `this`, in M's own class.
    private bool IsLambdaOf(MethodInfo method) => method.Name.StartsWith($"<{ContainingMethod}>", StringComparison.Ordinal);
}

/// <summary>A <see cref="RemoteLambda"/> whose delegate returns <typeparamref name="TResult"/> (or nothing).</summary>
/// <typeparam name="TResult">What the caller receives.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class RemoteLambda<TResult> : RemoteLambda
{
    /// <inheritdoc/>
    protected RemoteLambda(ulong id, string[] captures, string containingMethod)
        : base(id, captures, containingMethod)
    {
    }
}
