using System.Diagnostics;
using System.Text;

namespace Processional.Tests.Transport;

/// <summary>The test peer program (tests/Processional.TestPeer) running as a child process; killed on dispose.</summary>
internal sealed class TestPeerProcess : IDisposable
{
    private readonly StringBuilder _errors = new();

    private TestPeerProcess(Process process)
    {
        Process = process;
    }

    public Process Process { get; }

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public static ProcessStartInfo CreateStartInfo(params string[] args)
    {
        var startInfo = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        startInfo.ArgumentList.Add(PeerAssembly());
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        return startInfo;
    }

    public static TestPeerProcess Start(ProcessStartInfo startInfo)
    {
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("The test peer did not start.");
        var peer = new TestPeerProcess(process);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (peer._errors)
            {
                peer._errors.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        return peer;
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        Process.Dispose();
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    private static string PeerAssembly()
    {
        // bin/<Configuration>/net10.0 of this test project, mirrored in the peer's project folder.
        var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = baseDirectory.Name;
        var configuration = baseDirectory.Parent!.Name;
        var testsFolder = baseDirectory.Parent.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(testsFolder, "Processional.TestPeer", "bin", configuration, framework, "Processional.TestPeer.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"The test peer is not built at {path}.");
    }
}
