using System.Diagnostics.CodeAnalysis;
using System.Collections.Concurrent;

namespace Processional.Rpc;

/// <summary>
/// The <see cref="RemoteAttribute">[Remote]</see> interfaces of the program, each with its generated proxy factory and
/// dispatcher. Filled by generated code from module initializers; never by scanning assemblies.
/// </summary>
public static class RemoteInterfaceRegistry
{
    private static readonly ConcurrentDictionary<Type, RemoteInterfaceInfo> s_interfaces = new();

    /// <summary>Registers the proxy factory and dispatcher of <typeparamref name="TInterface"/>. Called by generated code.</summary>
    /// <typeparam name="TInterface">The [Remote] interface.</typeparam>
    /// <param name="createProxy">Creates a proxy for an object of the peer: connection, object id, whether the proxy holds a reference to release.</param>
    /// <param name="dispatcher">The dispatcher of the interface.</param>
    public static void Register<TInterface>(Func<RpcConnection, ulong, bool, TInterface> createProxy, RemoteDispatcher dispatcher)
        where TInterface : class
    {
        ArgumentNullException.ThrowIfNull(createProxy);
        ArgumentNullException.ThrowIfNull(dispatcher);
        s_interfaces[typeof(TInterface)] = new RemoteInterfaceInfo<TInterface>(createProxy, dispatcher);
    }

    /// <summary>Whether <typeparamref name="TInterface"/> is a registered [Remote] interface.</summary>
    /// <typeparam name="TInterface">The interface.</typeparam>
    /// <returns><see langword="true"/> when registered.</returns>
    public static bool IsRegistered<TInterface>()
        where TInterface : class => s_interfaces.ContainsKey(typeof(TInterface));

    internal static RemoteInterfaceInfo<TInterface> Get<TInterface>()
        where TInterface : class
    {
        if (s_interfaces.TryGetValue(typeof(TInterface), out var info))
        {
            return (RemoteInterfaceInfo<TInterface>)info;
        }

        // Registration runs in the declaring assembly's module initializer, which a bare typeof may not have triggered.
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(typeof(TInterface).Module.ModuleHandle);
        if (s_interfaces.TryGetValue(typeof(TInterface), out info))
        {
            return (RemoteInterfaceInfo<TInterface>)info;
        }

        throw new InvalidOperationException(
            $"'{typeof(TInterface)}' is not a [Remote] interface known to this program: mark it [Remote] and make sure " +
            "Processional's source generator runs on the project that declares it.");
    }

    internal static RemoteInterfaceInfo? TryGet(Type interfaceType)
    {
        if (s_interfaces.TryGetValue(interfaceType, out var info))
        {
            return info;
        }

        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(interfaceType.Module.ModuleHandle);
        return s_interfaces.GetValueOrDefault(interfaceType);
    }

    /// <summary>The registered [Remote] interfaces that <paramref name="type"/> implements (itself, if it is one).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Interfaces of an object's own type; one that was trimmed away is not [Remote] in use.")]
    internal static RemoteInterfaceInfo[] ImplementedBy(Type type)
    {
        if (s_interfaces.TryGetValue(type, out var direct))
        {
            return [direct];
        }

        // Plain loops rather than LINQ: slaves expose their built-in objects through here at start.
        var interfaces = type.GetInterfaces();
        var found = new RemoteInterfaceInfo[interfaces.Length];
        var count = 0;
        foreach (var candidate in interfaces)
        {
            if (s_interfaces.TryGetValue(candidate, out var info))
            {
                // Kept in order of full name, so that every process lists an object's interfaces alike.
                var at = count++;
                while (at > 0 && string.CompareOrdinal(found[at - 1].InterfaceType.FullName, info.InterfaceType.FullName) > 0)
                {
                    found[at] = found[at - 1];
                    at--;
                }

                found[at] = info;
            }
        }

        return count == found.Length ? found : found.AsSpan(0, count).ToArray();
    }
}

/// <summary>A registered [Remote] interface.</summary>
internal abstract class RemoteInterfaceInfo(Type interfaceType, RemoteDispatcher dispatcher)
{
    public Type InterfaceType { get; } = interfaceType;

    public RemoteDispatcher Dispatcher { get; } = dispatcher;
}

/// <summary>A registered [Remote] interface, with its proxy factory.</summary>
internal sealed class RemoteInterfaceInfo<TInterface>(Func<RpcConnection, ulong, bool, TInterface> createProxy, RemoteDispatcher dispatcher)
    : RemoteInterfaceInfo(typeof(TInterface), dispatcher)
    where TInterface : class
{
    public TInterface CreateProxy(RpcConnection connection, ulong objectId, bool counted) => createProxy(connection, objectId, counted);
}
