using System.Diagnostics;
using System.Net.Sockets;

namespace Processional.Benchmarks.Slaves;

/// <summary>
/// The bare process of the slave benchmarks: this program started with <c>--hello PATH</c> connects to the Unix socket
/// at PATH, writes one byte, and waits until it is killed (or its peer closes the socket).
/// </summary>
internal static class HelloProcess
{
    public static int Run(string path)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(path));
        socket.Send([1]);
        return socket.Receive(new byte[1]);
    }

    /// <summary>A Unix socket listening at <paramref name="path"/> (a file left there is removed first), for the bare process to connect back to.</summary>
    public static Socket Listen(string path)
    {
        File.Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        return listener;
    }

    /// <summary>Starts the bare process and waits until it has connected back to <paramref name="listener"/> and written its byte: a bare start, as the benchmarks measure it.</summary>
    public static async Task<(Process Process, Socket Connection)> StartConnectedAsync(Socket listener, string path)
    {
        var process = Start(path);
        var connection = await listener.AcceptAsync();
        await connection.ReceiveAsync(new byte[1]);
        return (process, connection);
    }

    public static Process Start(string path)
    {
        var startInfo = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { UseShellExecute = false };
        startInfo.ArgumentList.Add(typeof(HelloProcess).Assembly.Location);
        startInfo.ArgumentList.Add("--hello");
        startInfo.ArgumentList.Add(path);
        return Process.Start(startInfo)!;
    }
}
