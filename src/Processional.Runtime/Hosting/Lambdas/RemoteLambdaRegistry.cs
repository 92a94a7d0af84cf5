using System.ComponentModel;

namespace Processional.Hosting;

/// <summary>The lambdas of the program that ship to other processes, registered by generated code. Not for direct use.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RemoteLambdaRegistry
{
    // A locked Dictionary<ulong, …>, which the runtime has precompiled: a ConcurrentDictionary<ulong, …> would be compiled
    // by the JIT in every slave before its first call.
    private static readonly Dictionary<ulong, RemoteLambda> s_lambdas = [];
    private static readonly Lock s_lock = new();
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Delegate, RemoteLambda> s_attached = new();

    /// <summary>Registers a call site's lambda. Called from generated module initializers.</summary>
    /// <param name="lambda">The lambda.</param>
    public static void Register(RemoteLambda lambda)
    {
        ArgumentNullException.ThrowIfNull(lambda);
        lock (s_lock)
        {
            s_lambdas[lambda.Id] = lambda;
        }
    }

    /// <summary>
    /// Attaches a call site's lambda to the delegate made there, so that it can ship from wherever the delegate is passed
    /// on. Called by generated interceptors of methods whose delegate parameter is marked [Remote].
    /// </summary>
    /// <typeparam name="TDelegate">The delegate type.</typeparam>
    /// <param name="lambda">The call site's lambda.</param>
    /// <param name="func">The delegate made at the call site.</param>
    /// <returns><paramref name="func"/>.</returns>
    public static TDelegate Attach<TDelegate>(RemoteLambda lambda, TDelegate func)
        where TDelegate : Delegate
    {
        ArgumentNullException.ThrowIfNull(lambda);
        ArgumentNullException.ThrowIfNull(func);
        s_attached.AddOrUpdate(func, lambda);
        return func;
    }

    internal static RemoteLambda? Attached(Delegate func) => s_attached.TryGetValue(func, out var lambda) ? lambda : null;

    private static bool TryGet(ulong id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RemoteLambda? lambda)
    {
        lock (s_lock)
        {
            return s_lambdas.TryGetValue(id, out lambda);
        }
    }

    /// <summary>Finds a lambda by id, loading its module (whose initializer registers it) when needed.</summary>
    internal static RemoteLambda Find(ulong id, Guid moduleVersionId)
    {
        if (TryGet(id, out var lambda))
        {
            return lambda;
        }

        var module = LambdaModules.Find(moduleVersionId)
            ?? throw new InvalidOperationException($"The module {moduleVersionId} of lambda {id:x16} is not loaded in this process, and its path is unknown.");
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(module.ModuleHandle);
        return TryGet(id, out lambda)
            ? lambda
            : throw new InvalidOperationException($"Lambda {id:x16} is not registered by its module {module.Name}: it was built from different code.");
    }
}
