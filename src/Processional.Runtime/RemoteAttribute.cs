namespace Processional;

/// <summary>
/// Marks what crosses a process boundary. On an interface, Processional's source generator writes a proxy (client
/// side) and a dispatcher (server side) for it, so that an implementation exposed on one end of a connection can be
/// called from the other. On a lambda, or on a delegate parameter, the generator ships the lambda and its captured
/// variables to the process that runs it.
/// </summary>
[AttributeUsage(AttributeTargets.Interface | AttributeTargets.Method | AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class RemoteAttribute : Attribute
{
}
