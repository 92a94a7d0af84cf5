using System.Runtime.InteropServices;

namespace Processional.Transport;

/// <summary>
/// What kind of file sits at a Unix socket path, so that a listener replaces only a stale socket and never deletes a
/// regular file that a mistyped endpoint happens to name. .NET exposes no file type, so this asks <c>statx</c>, whose
/// layout is the same on every Linux architecture; elsewhere the type is unknown and callers fall back to probing.
/// </summary>
internal static partial class UnixSocketFile
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxIno = 0x100;
    private const int StatxModeOffset = 28;
    private const int StatxInoOffset = 32;
    private const int StatxSize = 256;
    private const int FileTypeMask = 0xF000;
    private const int SocketType = 0xC000;

    private static bool s_unavailable;

    /// <summary>The file's type and inode, or <see langword="null"/> when it does not exist or the type cannot be learnt here.</summary>
    public static (bool IsSocket, ulong Inode)? Stat(string path)
    {
        if (!OperatingSystem.IsLinux() || Volatile.Read(ref s_unavailable))
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[StatxSize];
        int result;
        try
        {
            unsafe
            {
                fixed (byte* pointer = buffer)
                {
                    result = StatX(AtFdCwd, path, AtSymlinkNoFollow, StatxType | StatxIno, pointer);
                }
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            Volatile.Write(ref s_unavailable, true);
            return null;
        }

        if (result != 0)
        {
            return null;
        }

        var mode = MemoryMarshal.Read<ushort>(buffer[StatxModeOffset..]);
        var inode = MemoryMarshal.Read<ulong>(buffer[StatxInoOffset..]);
        return ((mode & FileTypeMask) == SocketType, inode);
    }

    [LibraryImport("libc.so.6", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int StatX(int directory, string path, int flags, uint mask, byte* buffer);
}
