namespace Processional;

/// <summary>How a slave (or server) process is started as the same program. See <c>docs/slave-processes.md</c>, "How a slave starts".</summary>
public enum SlaveStartMode
{
    /// <summary><see cref="Direct"/> where it can be used, <see cref="StartupHook"/> otherwise (the default).</summary>
    Automatic,

    /// <summary>
    /// The runtime host starts Processional's own entry point with the program's runtime configuration and dependency
    /// files (<c>dotnet exec --runtimeconfig … --depsfile … Processional.Runtime.dll</c>); the program's assembly is
    /// then made the entry assembly. No reflection runs before the slave's own code, so this is the fastest start.
    /// Needs a framework-dependent program whose assembly lies beside <c>Processional.Runtime.dll</c>;
    /// <c>StartAsync</c> fails with <see cref="InvalidOperationException"/> (saying which condition is not met) otherwise.
    /// </summary>
    Direct,

    /// <summary>
    /// The program's own command line again, with Processional as a .NET startup hook (<c>DOTNET_STARTUP_HOOKS</c>)
    /// that takes the process over before the program's entry point runs. Works for every kind of program (self-contained
    /// ones included) and keeps the program's command-line arguments, at the price of the hook's reflection (about
    /// 8 ms more per start).
    /// </summary>
    StartupHook,
}
