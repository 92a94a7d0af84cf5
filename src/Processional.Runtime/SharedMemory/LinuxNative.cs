using System.Runtime.InteropServices;

namespace Processional;

/// <summary>The few libc calls shared memory needs on Linux.</summary>
internal static partial class LinuxNative
{
    public const int MfdCloexec = 1;
    public const int ORdwr = 2;
    public const int OCloexec = 0x80000;
    public const int ProtRead = 1;
    public const int ProtWrite = 2;
    public const int MapShared = 1;
    public const int SeekEnd = 2;
    public const int FutexWait = 0;
    public const int FutexWake = 1;
    public const int Eintr = 4;
    public const int Eagain = 11;
    public const int Etimedout = 110;

    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MemfdCreate(string name, uint flags);

    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    public static partial int Ftruncate(int fd, long length);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    public static partial long Lseek(int fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint address, nuint length);

    // futex(2) has no libc wrapper: syscall(SYS_futex, uaddr, op, val, timeout, NULL, 0).
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, nint address, int operation, int value, nint timeout, nint address2, int value3);

    /// <summary>The futex system call's number on this architecture, or -1 where it is not known here.</summary>
    public static long FutexNumber => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 202,
        Architecture.Arm64 => 98,
        _ => -1,
    };

    /// <summary>Sleeps while the 32-bit word at <paramref name="address"/> holds <paramref name="expected"/>, at most <paramref name="timeoutNanoseconds"/>.</summary>
    public static unsafe void FutexWaitShared(nint address, int expected, long timeoutNanoseconds)
    {
        var timeout = stackalloc long[2];
        timeout[0] = timeoutNanoseconds / 1_000_000_000;
        timeout[1] = timeoutNanoseconds % 1_000_000_000;
        _ = Syscall(FutexNumber, address, FutexWait, expected, (nint)timeout, 0, 0);
    }

    /// <summary>Wakes every process sleeping on the 32-bit word at <paramref name="address"/>.</summary>
    public static void FutexWakeShared(nint address) => _ = Syscall(FutexNumber, address, FutexWake, int.MaxValue, 0, 0, 0);
}
