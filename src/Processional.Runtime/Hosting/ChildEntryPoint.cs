using System.Reflection;
using System.Runtime.Loader;

namespace Processional;

/// <summary>
/// The entry point of <c>Processional.Runtime.dll</c>, which the master starts directly (<see cref="SlaveStartMode.Direct"/>)
/// with the program's runtime configuration and dependency files: it makes the program's assembly the entry assembly,
/// then serves as a slave or server. Started any other way, it says what it is for and exits.
/// </summary>
internal static class ChildEntryPoint
{
    /// <summary>The exit code when started by hand (EX_USAGE).</summary>
    public const int ExitUsage = 64;

    private static int Main()
    {
        var program = Environment.GetEnvironmentVariable(ChildLauncher.ProgramVariable);
        var role = SlaveHost.IsSlave ? 1 : ServerHost.IsServer ? 2 : 0;
        if (string.IsNullOrEmpty(program) || role == 0)
        {
            ReportUsage();
            return ExitUsage;
        }

        if (role == 1)
        {
            // The program is made ready on a second thread while this one connects (a process's first socket alone
            // costs milliseconds): its assembly loaded and made the entry assembly, its identity checked against the
            // master's, its module initializer run (which registers its lambdas, as it ran in the master before Main);
            // and its user and parent read, for checking who listens at the master's socket.
            // The handshake waits for it once the slave's hello is sent.
            Exception? failure = null;
            var preparing = new Thread(() =>
            {
                try
                {
                    Transport.PeerCredentials.LearnSelf();
                    BecomeProgram(program);
                    ChildLauncher.AdoptProgramIdentity();
                    System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(Assembly.GetEntryAssembly()!.ManifestModule.ModuleHandle);
                }
#pragma warning disable CA1031 // Handed to the main thread, which reports it as the slave's start failure.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    failure = ex;
                }
            })
            {
                IsBackground = true,
                Name = "Processional start",
            };
            preparing.UnsafeStart();
            SlaveHost.Run(() =>
            {
                preparing.Join();
                if (failure is not null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
                }
            });
        }
        else
        {
            try
            {
                BecomeProgram(program);
            }
#pragma warning disable CA1031 // A program that cannot be loaded is reported on standard error, which the master shows in its start failure.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ReportLoadFailure(ex);
                return SlaveHost.ExitStartFailed;
            }

            ServerHost.Run();
        }

        return 0;
    }

    /// <summary>Makes the program's assembly this process's entry assembly, as it is in the master.</summary>
    private static void BecomeProgram(string program)
    {
        try
        {
            Assembly.SetEntryAssembly(LoadProgram(program));
        }
        catch (Exception ex) when (ex is IOException or BadImageFormatException or ArgumentException)
        {
            throw new InvalidOperationException($"Processional could not load the program '{program}': {ex.Message}", ex);
        }
    }

    /// <summary>The program's assembly, loaded as the runtime would (by name, from the trusted platform assemblies), or from its path.</summary>
    private static Assembly LoadProgram(string path)
    {
        try
        {
            var assembly = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(Path.GetFileNameWithoutExtension(path)));
            if (string.Equals(assembly.Location, path, StringComparison.Ordinal))
            {
                return assembly;
            }
        }
        catch (FileNotFoundException)
        {
        }

        return AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
    }

    // System.Console is reached through methods of their own, so that a slave does not load it to start.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ReportUsage() =>
        Console.Error.WriteLine("Processional.Runtime.dll is a library. Its entry point only starts the slave and server processes of a Processional program.");

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ReportLoadFailure(Exception exception) => Console.Error.WriteLine(exception.Message);
}
