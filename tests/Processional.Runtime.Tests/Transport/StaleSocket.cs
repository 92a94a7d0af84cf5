using System.Runtime.InteropServices;
using System.Text;

namespace Processional.Tests.Transport;

/// <summary>
/// Leaves a socket file with nobody behind it, as a listener that died does. .NET removes the file when a bound socket
/// is disposed, so this binds and closes one with the C library directly.
/// </summary>
internal static partial class StaleSocket
{
    public static void Create(string path)
    {
        var address = new byte[110];
        address[0] = 1; // AF_UNIX, little-endian sa_family_t
        Encoding.UTF8.GetBytes(path, address.AsSpan(2));
        var fd = Socket(1, 1, 0);
        Assert.True(fd >= 0, "socket() failed");
        try
        {
            Assert.Equal(0, Bind(fd, address, address.Length));
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "socket")]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc.so.6", EntryPoint = "bind")]
    private static partial int Bind(int fd, byte[] address, int length);

    [LibraryImport("libc.so.6", EntryPoint = "close")]
    private static partial int Close(int fd);
}
