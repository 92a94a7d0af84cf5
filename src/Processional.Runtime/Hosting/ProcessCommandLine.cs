using System.Diagnostics;
using System.Text;

namespace Processional;

/// <summary>
/// The command line that started this process, to start the same program again: exactly as the kernel has it on Linux
/// (so the host's own options, such as the runtime configuration and dependency files a test host gets, are kept), and
/// rebuilt from the process path and arguments elsewhere.
/// </summary>
internal static class ProcessCommandLine
{
    public static (string FileName, IReadOnlyList<string> Arguments) Current()
    {
        if (OperatingSystem.IsLinux() && TryReadProcCmdline(out var arguments) && arguments.Count > 0)
        {
            var fileName = Environment.ProcessPath ?? arguments[0];
            return (fileName, arguments.Skip(1).ToArray());
        }

        var path = Environment.ProcessPath ?? throw new PlatformNotSupportedException("The path of this process's executable is unknown.");
        var args = Environment.GetCommandLineArgs();

        // Run through the `dotnet` muxer, the first argument is the application (kept); through an apphost, it is the
        // apphost's own path (dropped).
        var isMuxer = string.Equals(Path.GetFileNameWithoutExtension(path), "dotnet", StringComparison.OrdinalIgnoreCase);
        return (path, isMuxer ? args : args.Skip(1).ToArray());
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

    public static ProcessStartInfo StartInfo()
    {
        var (fileName, arguments) = Current();
        var info = new ProcessStartInfo(fileName) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
