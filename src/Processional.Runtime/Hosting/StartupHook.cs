using Processional;

/// <summary>
/// The .NET startup hook (<c>DOTNET_STARTUP_HOOKS</c>) through which a slave process becomes a slave: the master
/// starts the same program with this assembly as a startup hook, and the hook takes over the process before the
/// program's own entry point runs, serving the master until it goes away. In any other process it does nothing.
/// </summary>
#pragma warning disable CA1050 // The runtime looks the hook up by this exact name, outside any namespace.
internal static class StartupHook
#pragma warning restore CA1050
{
    /// <summary>Called by the runtime before the program's entry point.</summary>
    public static void Initialize()
    {
        if (SlaveHost.IsSlave)
        {
            SlaveHost.Run();
        }
        else if (ServerHost.IsServer)
        {
            ServerHost.Run();
        }
    }
}
