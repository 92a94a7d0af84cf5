using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text;

namespace Processional;

/// <summary>
/// Starts this program again as a slave or server process, in one of two ways (<see cref="SlaveStartMode"/>):
/// directly through Processional's entry point with the program's runtime configuration and dependency files, or with
/// the program's own command line and Processional as a startup hook. The child learns its role from environment
/// variables; <see cref="ForgetLaunchEnvironment"/> removes them there, so that the child's own children are ordinary.
/// </summary>
internal static class ChildLauncher
{
    /// <summary>Direct starts: the path of the program's entry assembly, which the child makes its entry assembly.</summary>
    public const string ProgramVariable = "PROCESSIONAL_PROGRAM";

    /// <summary>The master's program identity, which the child checks its own modules against (instead of computing its identity from scratch).</summary>
    public const string IdentityVariable = "PROCESSIONAL_PROGRAM_IDENTITY";

    public const string StartupHooksVariable = "DOTNET_STARTUP_HOOKS";

    // The muxer's own options that `dotnet exec` takes before the application, each with a value.
    private static readonly string[] s_hostOptions =
        ["--runtimeconfig", "--depsfile", "--additionalprobingpath", "--additional-deps", "--fx-version", "--roll-forward", "--roll-forward-on-no-candidate-fx"];

    private static readonly Lazy<(DirectLaunch? Launch, string? Reason)> s_direct = new(FindDirectLaunch);

    /// <summary>
    /// The start info of a child running this program in the role that <paramref name="roleVariables"/> give, with
    /// the options' working directory and environment applied; standard streams redirected.
    /// </summary>
    public static ProcessStartInfo StartInfo(SlaveProcessOptions options, IEnumerable<KeyValuePair<string, string>> roleVariables)
    {
        var info = options.StartMode switch
        {
            SlaveStartMode.StartupHook => HookStartInfo(),
            SlaveStartMode.Direct => s_direct.Value.Launch?.StartInfo()
                ?? throw new InvalidOperationException($"This program cannot be started directly through Processional's entry point: {s_direct.Value.Reason}. Use SlaveStartMode.Automatic or StartupHook."),
            _ => s_direct.Value.Launch?.StartInfo() ?? HookStartInfo(),
        };
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        if (options.WorkingDirectory is { } directory)
        {
            info.WorkingDirectory = directory;
        }

        foreach (var (key, value) in options.Environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        foreach (var (key, value) in roleVariables)
        {
            info.Environment[key] = value;
        }

        if (Transport.ProgramIdentity.Current.EncodeForEnvironment() is { } identity)
        {
            info.Environment[IdentityVariable] = identity;
        }

        return info;
    }

    /// <summary>
    /// In a child: takes the master's program identity from the environment and makes this process's identity those
    /// modules as found here (see <see cref="Transport.ProgramIdentity.AdoptVerified"/>); without it (a child started
    /// by an older master, or an identity too long for the environment), the identity is computed as in any process.
    /// </summary>
    public static void AdoptProgramIdentity()
    {
        var text = Environment.GetEnvironmentVariable(IdentityVariable);
        if (!string.IsNullOrEmpty(text) && Transport.ProgramIdentity.DecodeFromEnvironment(text) is { } expected)
        {
            Transport.ProgramIdentity.AdoptVerified(expected);
        }
    }

    /// <summary>In a child: removes the variables that made it one, so that processes it starts are ordinary.</summary>
    public static void ForgetLaunchEnvironment()
    {
        Environment.SetEnvironmentVariable(ProgramVariable, null);
        Environment.SetEnvironmentVariable(IdentityVariable, null);
        var hooks = Environment.GetEnvironmentVariable(StartupHooksVariable);
        if (hooks is null)
        {
            return;
        }

        var own = typeof(ChildLauncher).Assembly.Location;
        var rest = new StringBuilder();
        foreach (var hook in hooks.Split(Path.PathSeparator))
        {
            if (!string.Equals(hook, own, StringComparison.Ordinal))
            {
                rest.Append(rest.Length == 0 ? string.Empty : Path.PathSeparator).Append(hook);
            }
        }

        Environment.SetEnvironmentVariable(StartupHooksVariable, rest.Length == 0 ? null : rest.ToString());
    }

    /// <summary>The command line that started this process, as the kernel has it on Linux, rebuilt elsewhere.</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) CurrentCommandLine()
    {
        if (OperatingSystem.IsLinux() && TryReadProcCmdline(out var arguments) && arguments.Count > 0)
        {
            var fileName = Environment.ProcessPath ?? arguments[0];
            return (fileName, arguments.GetRange(1, arguments.Count - 1));
        }

        var path = Environment.ProcessPath ?? throw new PlatformNotSupportedException("The path of this process's executable is unknown.");
        var args = Environment.GetCommandLineArgs();

        // Run through the `dotnet` muxer, the first argument is the application (kept); through an apphost, it is the
        // apphost's own path (dropped).
        return (path, IsMuxer(path) ? args : args[1..]);
    }

    /// <summary>The program's own command line, with Processional's runtime prepended to the startup hooks.</summary>
    private static ProcessStartInfo HookStartInfo()
    {
        var (fileName, arguments) = CurrentCommandLine();
        var info = new ProcessStartInfo(fileName) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var hook = typeof(ChildLauncher).Assembly.Location;
        info.Environment[StartupHooksVariable] = info.Environment.TryGetValue(StartupHooksVariable, out var hooks) && !string.IsNullOrEmpty(hooks)
            ? $"{hook}{Path.PathSeparator}{hooks}"
            : hook;
        return info;
    }

    private static bool IsMuxer(string path) =>
        string.Equals(Path.GetFileNameWithoutExtension(path), "dotnet", StringComparison.OrdinalIgnoreCase);

    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An empty location (single-file bundle) makes the direct start unavailable.")]
    private static (DirectLaunch?, string?) FindDirectLaunch() =>
        FindDirectLaunch(new LaunchFacts(
            Assembly.GetEntryAssembly()?.Location,
            typeof(ChildLauncher).Assembly.Location,
            Path.GetDirectoryName(typeof(object).Assembly.Location),
            Environment.ProcessPath,
            CurrentCommandLine().Arguments,
            File.Exists));

    /// <summary>How to start this program directly, or why it cannot be (see <see cref="SlaveStartMode.Direct"/>), from the facts given.</summary>
    internal static (DirectLaunch? Launch, string? Reason) FindDirectLaunch(LaunchFacts facts)
    {
        if (string.IsNullOrEmpty(facts.EntryAssembly))
        {
            return (null, "the program's entry assembly has no file (a single-file bundle, or no managed entry point)");
        }

        var directory = Path.GetDirectoryName(facts.EntryAssembly)!;
        if (string.IsNullOrEmpty(facts.Runtime) || !string.Equals(Path.GetDirectoryName(facts.Runtime), directory, StringComparison.Ordinal))
        {
            return (null, $"Processional.Runtime.dll ({facts.Runtime}) is not in the directory of the program's entry assembly ({directory})");
        }

        if (string.IsNullOrEmpty(facts.FrameworkDirectory) || string.Equals(facts.FrameworkDirectory, directory, StringComparison.Ordinal))
        {
            return (null, "the program is self-contained (the runtime lies beside it, with no `dotnet` host to start it)");
        }

        // The muxer that runs this process, or the one at the root of the installation whose runtime this process uses
        // (an apphost found it there): .../shared/Microsoft.NETCore.App/<version>/ → ...
        var viaMuxer = facts.ProcessPath is not null && IsMuxer(facts.ProcessPath);
        var muxer = viaMuxer
            ? facts.ProcessPath!
            : Path.GetFullPath(Path.Combine(facts.FrameworkDirectory, "..", "..", "..", OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"));
        if (!facts.FileExists(muxer))
        {
            return (null, $"no `dotnet` host was found ({muxer})");
        }

        // The host options the muxer was given (a test host gets its configuration and dependency files this way).
        var options = new List<(string Name, string Value)>();
        if (viaMuxer)
        {
            var arguments = facts.Arguments;
            var i = arguments.Count > 0 && arguments[0] == "exec" ? 1 : 0;
            while (i < arguments.Count && arguments[i].StartsWith("--", StringComparison.Ordinal))
            {
                if (Array.IndexOf(s_hostOptions, arguments[i]) < 0 || i + 1 >= arguments.Count)
                {
                    return (null, $"the host option {arguments[i]} is not one Processional knows to pass on");
                }

                var value = arguments[i + 1];
                options.Add((arguments[i], arguments[i] is "--runtimeconfig" or "--depsfile" or "--additionalprobingpath" or "--additional-deps" ? Path.GetFullPath(value) : value));
                i += 2;
            }
        }

        var name = Path.GetFileNameWithoutExtension(facts.EntryAssembly);
        if (!options.Exists(o => o.Name == "--runtimeconfig"))
        {
            var runtimeConfig = Path.Combine(directory, name + ".runtimeconfig.json");
            if (!facts.FileExists(runtimeConfig))
            {
                return (null, $"the program has no runtime configuration file ({runtimeConfig})");
            }

            options.Add(("--runtimeconfig", runtimeConfig));
        }

        if (!options.Exists(o => o.Name == "--depsfile") && Path.Combine(directory, name + ".deps.json") is var deps && facts.FileExists(deps))
        {
            options.Add(("--depsfile", deps));
        }

        return (new DirectLaunch(muxer, options, facts.Runtime, facts.EntryAssembly), null);
    }

    private static bool TryReadProcCmdline(out List<string> arguments)
    {
        arguments = [];
        try
        {
            var bytes = File.ReadAllBytes("/proc/self/cmdline");
            var start = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == 0)
                {
                    arguments.Add(Encoding.UTF8.GetString(bytes, start, i - start));
                    start = i + 1;
                }
            }

            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>What decides whether and how this program can be started directly.</summary>
    /// <param name="EntryAssembly">The path of the program's entry assembly (empty: none, or no file).</param>
    /// <param name="Runtime">The path of Processional.Runtime.dll.</param>
    /// <param name="FrameworkDirectory">The directory of the runtime's own assemblies.</param>
    /// <param name="ProcessPath">The executable of this process (the `dotnet` muxer or an apphost).</param>
    /// <param name="Arguments">This process's arguments after the executable.</param>
    /// <param name="FileExists">Whether a file exists.</param>
    internal sealed record LaunchFacts(string? EntryAssembly, string Runtime, string? FrameworkDirectory, string? ProcessPath, IReadOnlyList<string> Arguments, Func<string, bool> FileExists);

    /// <summary><c>dotnet exec [host options] Processional.Runtime.dll</c>, told which assembly is the program.</summary>
    internal sealed record DirectLaunch(string Muxer, List<(string Name, string Value)> HostOptions, string Runtime, string Program)
    {
        public ProcessStartInfo StartInfo()
        {
            var info = new ProcessStartInfo(Muxer) { UseShellExecute = false };
            info.ArgumentList.Add("exec");
            foreach (var (name, value) in HostOptions)
            {
                info.ArgumentList.Add(name);
                info.ArgumentList.Add(value);
            }

            info.ArgumentList.Add(Runtime);
            info.Environment[ProgramVariable] = Program;
            return info;
        }
    }
}
