using Processional.Hosting;
using Processional.Multiplexing;
using Processional.Rpc;
using Processional.Transport;

namespace Processional;

/// <summary>
/// The slave's side of a slave process: connects to the master, checks that both run the same program, then runs the
/// calls of the master on the process's main thread until the master stops it or goes away. Whatever happens, the
/// process exits: a slave never outlives its master.
/// </summary>
internal static class SlaveHost
{
    /// <summary>Set by the master to the slave's name; its presence makes the startup hook take over.</summary>
    public const string SlaveVariable = "PROCESSIONAL_SLAVE";

    public const string StartupHooksVariable = "DOTNET_STARTUP_HOOKS";

    /// <summary>Exit codes of a slave that stops by itself.</summary>
    public const int ExitStopped = 0;
    public const int ExitMasterLost = 70;
    public const int ExitStartFailed = 71;
    public const int ExitIdentityMismatch = 72;

    private static volatile bool s_stopping;

    /// <summary>In a slave process: the connection to its master.</summary>
    public static RpcConnection? Master { get; private set; }

    public static bool IsSlave =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SlaveVariable)) && ParentChildConnection.HasParent;

    /// <summary>Serves the master on the calling (main) thread; never returns.</summary>
    public static void Run()
    {
        var name = Environment.GetEnvironmentVariable(SlaveVariable)!;

        // The handshake needs this process's program identity (module version ids read from the assembly files): learn
        // it on another core while this thread sets up the connection.
        ThreadPool.UnsafeQueueUserWorkItem(static _ => _ = ProgramIdentity.Current, null);
        ForgetSlaveEnvironment();
        var main = SlaveThread.CreateForCurrentThread($"{name} main");
        RpcConnection rpc;
        try
        {
            rpc = ConnectAsync(main).GetAwaiter().GetResult();
        }
#pragma warning disable CA1031 // Anything that stops the slave from starting is reported to the master through standard error.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ReportStartFailure(name, ex);
            Environment.Exit(ex is IdentityMismatchException ? ExitIdentityMismatch : ExitStartFailed);
            return;
        }

        rpc.Completion.ContinueWith(
            static (_, state) => OnMasterGone((SlaveThread)state!),
            main,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        main.RunLoopHere();
        FlushOutput();
        Environment.Exit(s_stopping ? ExitStopped : ExitMasterLost);
    }

    /// <summary>The master asked the slave to stop: the main thread finishes what it was sent, then the process exits.</summary>
    public static void Stop(SlaveThread main)
    {
        s_stopping = true;
        main.RequestStopInternal();
    }

    private static async Task<RpcConnection> ConnectAsync(SlaveThread main)
    {
        var connection = await ParentChildConnection.ConnectToParentAsync().ConfigureAwait(false);
        if (!connection.RemoteIdentity.Program.Equals(ProgramIdentity.Current))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new IdentityMismatchException(
                $"The master runs another program: its modules are {connection.RemoteIdentity.Program}; this process's are {ProgramIdentity.Current}.");
        }

        return RpcOverMultiplexer.Start(connection, new RpcConnectionOptions { Name = "connection to the master", Serializer = SharedArena.SerializerOptions(SharedArena.ThresholdFromEnvironment()) }, configure: rpc =>
        {
            rpc.DefaultExecutor = work => main.TryPost(work);
            SlaveDispatcher.Expose(rpc, main);
            Master = rpc;
        });
    }

    private static void OnMasterGone(SlaveThread main)
    {
        if (s_stopping)
        {
            return;
        }

        // The master is gone (exited, crashed or killed): do not outlive it, whatever the main thread is busy with.
        FlushOutput();
        Environment.Exit(ExitMasterLost);
    }

    // System.Console is reached through methods of their own: a slave that never writes does not load it.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void FlushOutput()
    {
        Console.Out.Flush();
        Console.Error.Flush();
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ReportStartFailure(string name, Exception exception) =>
        Console.Error.WriteLine($"Processional slave '{name}' could not start: {exception}");

    /// <summary>Children the slave itself starts must not become slaves of this slave's master.</summary>
    private static void ForgetSlaveEnvironment()
    {
        Environment.SetEnvironmentVariable(SlaveVariable, null);
        var hooks = Environment.GetEnvironmentVariable(StartupHooksVariable);
        if (hooks is not null)
        {
            var own = typeof(SlaveHost).Assembly.Location;
            var rest = new List<string>();
            foreach (var hook in hooks.Split(Path.PathSeparator))
            {
                if (!string.Equals(hook, own, StringComparison.Ordinal))
                {
                    rest.Add(hook);
                }
            }

            var remaining = string.Join(Path.PathSeparator, rest);
            Environment.SetEnvironmentVariable(StartupHooksVariable, remaining.Length == 0 ? null : remaining);
        }
    }

    private sealed class IdentityMismatchException(string message) : Exception(message);
}
