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

    /// <summary>Exit codes of a slave that stops by itself.</summary>
    public const int ExitStopped = 0;
    public const int ExitMasterLost = 70;
    public const int ExitStartFailed = 71;
    public const int ExitIdentityMismatch = 72;

    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private static volatile bool s_stopping;

    /// <summary>In a slave process: the connection to its master.</summary>
    public static RpcConnection? Master { get; private set; }

    public static bool IsSlave =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SlaveVariable)) && ParentChildConnection.HasParent;

    /// <summary>Serves the master on the calling (main) thread; never returns.</summary>
    /// <param name="programReady">
    /// Waits until the process is the program, its identity adopted (a direct start does that on another thread); runs
    /// while the master answers the hello. Without it, the identity is adopted then.
    /// </param>
    public static void Run(Action? programReady = null)
    {
        var name = Environment.GetEnvironmentVariable(SlaveVariable)!;
        SlaveThread? main = null;
        RpcConnection rpc;
        try
        {
            // The slave's own preparation runs once its hello is sent, while the master answers it. The handshake's
            // next step needs this process's identity: the master's modules, checked against the files here.
            var connection = ConnectToMaster(() =>
            {
                if (programReady is null)
                {
                    ChildLauncher.AdoptProgramIdentity();
                }
                else
                {
                    programReady();
                }

                ForgetSlaveEnvironment();
                main = SlaveThread.CreateForCurrentThread($"{name} main");
            });
            rpc = Serve(connection, main!);
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

        main!.RunLoopHere();
        if (s_stopping)
        {
            CloseGracefully(rpc);
        }

        FlushOutput();
        Environment.Exit(s_stopping ? ExitStopped : ExitMasterLost);
    }

    /// <summary>
    /// A graceful stop closes the connection before the process ends, so that what was sent before — the replies of
    /// the last calls, the stop's own — leaves the process (an exit at once could cut off replies still in the
    /// connection's buffers or with its sending thread). Bounded: a master that no longer reads does not hold the exit.
    /// </summary>
    private static void CloseGracefully(RpcConnection rpc)
    {
        try
        {
            rpc.DisposeAsync().AsTask().Wait(CloseTimeout);
        }
#pragma warning disable CA1031 // The process ends either way.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>The master asked the slave to stop: the main thread finishes what it was sent, then the process exits.</summary>
    public static void Stop(SlaveThread main)
    {
        s_stopping = true;
        main.RequestStopInternal();
    }

    /// <summary>Connects to the master on this thread (blocking: the slave has nothing else to do until it is connected).</summary>
    private static Connection ConnectToMaster(Action prepare)
    {
        var connection = ParentChildConnection.ConnectToParent(whileWaiting: prepare);
        if (!connection.RemoteIdentity.Program.Equals(ProgramIdentity.Current))
        {
            connection.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw new IdentityMismatchException(
                $"The master runs another program: its modules are {connection.RemoteIdentity.Program}; this process's are {ProgramIdentity.Current}.");
        }

        return connection;
    }

    /// <summary>Runs the RPC connection over <paramref name="connection"/>, its calls on <paramref name="main"/>.</summary>
    private static RpcConnection Serve(Connection connection, SlaveThread main) =>
        RpcOverMultiplexer.Start(connection, new RpcConnectionOptions { Name = "connection to the master", Serializer = SharedArena.SerializerOptions(SharedArena.ThresholdFromEnvironment()) }, configure: rpc =>
        {
            rpc.DefaultExecutor = work => main.TryPost(work);
            SlaveDispatcher.Expose(rpc, main);
            Master = rpc;
        });

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
        ChildLauncher.ForgetLaunchEnvironment();
    }

    private sealed class IdentityMismatchException(string message) : Exception(message);
}
