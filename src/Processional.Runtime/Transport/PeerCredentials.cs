using System.Globalization;
using System.Net.Sockets;
using System.Runtime.Versioning;

namespace Processional.Transport;

/// <summary>
/// Who is at the other end of a Unix socket, as the kernel recorded it (Linux <c>SO_PEERCRED</c>): the process that
/// connected, or for a connecting side the process that listened. Unlike anything a peer says about itself, these
/// cannot be forged by the peer.
/// </summary>
internal static class PeerCredentials
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>A check of the peer's kernel credentials before the handshake: the reason to refuse it, or <see langword="null"/>.</summary>
    public delegate string? Check(int processId, uint userId);

    /// <summary>The process id and user id of the socket's peer.</summary>
    [SupportedOSPlatform("linux")]
    public static (int ProcessId, uint UserId) Of(Socket socket)
    {
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        Span<byte> credentials = stackalloc byte[12];
        var length = socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials);
        if (length < 8)
        {
            throw new IOException($"The kernel gave {length} bytes of peer credentials; 12 were expected.");
        }

        return (BitConverter.ToInt32(credentials), BitConverter.ToUInt32(credentials[4..]));
    }

    // This process's effective user and parent, read once (-1: not yet). A slave learns them on a second thread while
    // its main thread connects, so that checking its parent then costs no file reads.
    private static long s_userId = -1;
    private static int s_parent = -1;

    /// <summary>Reads this process's user and parent now, so that the checks that need them find them known.</summary>
    public static void LearnSelf()
    {
        _ = CurrentUserId();
        _ = ParentOf(Environment.ProcessId);
    }

    /// <summary>The parent process id of <paramref name="processId"/>, or <see langword="null"/> if it is gone.</summary>
    public static int? ParentOf(int processId)
    {
        if (processId != Environment.ProcessId)
        {
            return ReadParent(processId);
        }

        // This process's parent, once known, is kept: a process that lost its parent is adopted, but this is asked only
        // to check who listens at the start, while the parent that started it is waiting.
        var known = Volatile.Read(ref s_parent);
        if (known >= 0)
        {
            return known;
        }

        var parent = ReadParent(processId);
        if (parent is { } value)
        {
            Volatile.Write(ref s_parent, value);
        }

        return parent;
    }

    private static int? ReadParent(int processId)
    {
        byte[] stat;
        try
        {
            stat = File.ReadAllBytes($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'. Read as bytes:
        // a slave checks its parent with this at start, where text decoding and culture-aware parsing cost more.
        var afterName = stat.AsSpan().LastIndexOf((byte)')');
        if (afterName < 0 || afterName + 4 >= stat.Length)
        {
            return null;
        }

        var fields = stat.AsSpan(afterName + 2);
        var space = fields.IndexOf((byte)' ');
        return space >= 0 && System.Buffers.Text.Utf8Parser.TryParse(fields[(space + 1)..], out int parent, out var consumed) && consumed > 0 && parent >= 0 ? parent : null;
    }

    /// <summary>
    /// Whether <paramref name="ancestor"/> is the parent of <paramref name="processId"/>, or the parent's parent, and so
    /// on (a child started through a wrapper such as a shell is a descendant, not a child).
    /// </summary>
    public static bool IsAncestor(int ancestor, int processId)
    {
        var current = processId;
        for (var depth = 0; depth < 32 && current > 1; depth++)
        {
            if (ParentOf(current) is not { } parent)
            {
                return false;
            }

            if (parent == ancestor)
            {
                return true;
            }

            current = parent;
        }

        return false;
    }

    /// <summary>This process's effective user id (read once).</summary>
    public static uint CurrentUserId()
    {
        var known = Interlocked.Read(ref s_userId);
        if (known >= 0)
        {
            return (uint)known;
        }

        var user = ReadUserId();
        Interlocked.Exchange(ref s_userId, user);
        return user;
    }

    private static uint ReadUserId()
    {
        // "Uid:\treal\teffective\tsaved\tfilesystem", read as bytes: a slave checks its parent with this at start, and
        // text readers, splitting and culture-aware parsing would cost it more than the check itself.
        var status = File.ReadAllBytes("/proc/self/status");
        var line = status.AsSpan().IndexOf("\nUid:"u8);
        if (line >= 0)
        {
            var fields = status.AsSpan(line + 5);
            for (var field = 0; field < 2; field++)
            {
                while (!fields.IsEmpty && fields[0] == (byte)'\t')
                {
                    fields = fields[1..];
                }

                var end = fields.IndexOfAny((byte)'\t', (byte)'\n');
                if (field == 1 && end > 0 && System.Buffers.Text.Utf8Parser.TryParse(fields[..end], out uint effective, out var consumed) && consumed == end)
                {
                    return effective;
                }

                fields = end < 0 ? default : fields[end..];
            }
        }

        throw new IOException("/proc/self/status has no readable Uid line.");
    }

    /// <summary>Whether the kernel credentials can be checked here (Linux, with /proc).</summary>
    public static bool Available => OperatingSystem.IsLinux() && File.Exists("/proc/self/stat");

    /// <summary>
    /// Runs the options' <see cref="ConnectionOptions.PeerCheck"/> (if any, on a Unix socket, on Linux) on the peer of
    /// <paramref name="socket"/> and returns the kernel's process id of the peer, for <see cref="ConfirmAfterHandshake"/>.
    /// </summary>
    public static int? VerifyBeforeHandshake(Socket socket, ConnectionOptions options, string peer)
    {
        if (options.PeerCheck is not { } check || !OperatingSystem.IsLinux() || socket.AddressFamily != AddressFamily.Unix)
        {
            return null;
        }

        var (processId, userId) = Of(socket);
        if (check(processId, userId) is { } reason)
        {
            throw new ProtocolException($"{peer} is refused: {reason}.");
        }

        return processId;
    }

    /// <summary>A peer the kernel vouched for must announce the kernel's process id; it is then authenticated.</summary>
    public static HandshakeResult ConfirmAfterHandshake(HandshakeResult handshake, int? kernelProcessId, string peer)
    {
        if (kernelProcessId is not { } expected)
        {
            return handshake;
        }

        if (handshake.Remote.ProcessId != expected)
        {
            throw new ProtocolException($"{peer} announced process {handshake.Remote.ProcessId}, but the kernel says the socket's peer is process {expected}.");
        }

        return handshake with { Authenticated = true };
    }
}
