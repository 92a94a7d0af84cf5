namespace Processional;

/// <summary>
/// Declares what an assembly served by the command line (<c>processional serve --assembly App.dll</c>) exposes: the
/// tool creates each public, non-abstract class of the assembly that implements this interface (with its public
/// parameterless constructor) and calls <see cref="Configure"/> before it accepts clients.
/// </summary>
/// <example>
/// <code>
/// public sealed class Startup : IProcessionalStartup
/// {
///     public void Configure(ProcessionalServer server) => server.Expose&lt;ICounter&gt;("counter", new Counter());
/// }
/// </code>
/// </example>
public interface IProcessionalStartup
{
    /// <summary>Exposes the assembly's objects on <paramref name="server"/>.</summary>
    /// <param name="server">The server; <see cref="ProcessionalServer.Expose{T}(string, T, Rpc.DispatchPolicy)"/> its objects here.</param>
    void Configure(ProcessionalServer server);
}
