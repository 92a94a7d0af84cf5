using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Processional;

/// <summary>
/// One shared-memory region mapped in this process: on Linux an anonymous <c>memfd</c> (no file in <c>/dev/shm</c>, so
/// nothing outlives the processes that hold it) mapped whole. Its first page is a header that both sides see: a magic
/// number, the region's random 64-bit id, its data size, and the count of handles written but not yet opened by their
/// receiver ("in transit"). A process-wide table keyed by the id makes mapping the same region twice reuse one
/// mapping, reference-counted; the last release unmaps it and closes the descriptor, unless handles are still in transit,
/// in which case the region lingers (mapped, descriptor open) until their receivers opened it or
/// <see cref="LingerTimeout"/> passed.
/// </summary>
internal sealed unsafe class SharedRegion
{
    /// <summary>The header occupies one page, so that data starts page-aligned.</summary>
    public const int HeaderSize = 4096;

    /// <summary>The name every region's memfd carries (visible in <c>/proc/&lt;pid&gt;/maps</c> as <c>/memfd:processional-…</c>).</summary>
    public const string NamePrefix = "processional-";

    private const ulong Magic = 0x314D485343525050; // "PPRCSHM1" read little-endian

    private static readonly Lock s_lock = new();
    private static readonly Dictionary<ulong, SharedRegion> s_regions = [];
    private static readonly List<SharedRegion> s_lingering = [];
    private static Timer? s_sweeper;

    private readonly nint _base;
    private readonly long _mappedSize;
    private int _fd;
    private int _references;
    private long _lingerSince;

    private SharedRegion(ulong id, int fd, nint mapping, long dataSize)
    {
        Id = id;
        _fd = fd;
        _base = mapping;
        _mappedSize = HeaderSize + dataSize;
        DataSize = dataSize;
        _references = 1;
    }

    /// <summary>How long a released region whose handles were never opened by their receivers stays mapped.</summary>
    internal static TimeSpan LingerTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The region's random id, the same in every process.</summary>
    public ulong Id { get; }

    /// <summary>The size of the data part, in bytes.</summary>
    public long DataSize { get; }

    /// <summary>The first data byte.</summary>
    public byte* Data => (byte*)_base + HeaderSize;

    /// <summary>The descriptor of the region in this process (what a handle names).</summary>
    public int FileDescriptor => _fd;

    /// <summary>Whether the region was unmapped.</summary>
    public bool IsClosed => _fd < 0;

    private ref long InTransit => ref *((long*)_base + 3);

    /// <summary>Regions mapped in this process now (for tests).</summary>
    internal static int MappedCount
    {
        get
        {
            lock (s_lock)
            {
                return s_regions.Count;
            }
        }
    }

    /// <summary>Whether region <paramref name="id"/> is mapped in this process (for tests).</summary>
    internal static bool IsMapped(ulong id)
    {
        lock (s_lock)
        {
            return s_regions.ContainsKey(id);
        }
    }

    /// <summary>Allocates a new zero-filled region of <paramref name="dataSize"/> bytes, with one reference.</summary>
    public static SharedRegion Allocate(long dataSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dataSize);
        EnsureSupported();
        var id = NewId();
        var fd = LinuxNative.MemfdCreate(NamePrefix + id.ToString("x16", System.Globalization.CultureInfo.InvariantCulture), LinuxNative.MfdCloexec);
        if (fd < 0)
        {
            throw Failure("memfd_create", $"a shared region of {dataSize} bytes cannot be created");
        }

        try
        {
            if (LinuxNative.Ftruncate(fd, HeaderSize + dataSize) != 0)
            {
                throw Failure("ftruncate", $"a shared region of {dataSize} bytes cannot be sized");
            }

            var mapping = Map(fd, HeaderSize + dataSize);
            var header = (long*)mapping;
            header[0] = (long)Magic;
            header[1] = (long)id;
            header[2] = dataSize;
            var region = new SharedRegion(id, fd, mapping, dataSize);
            lock (s_lock)
            {
                s_regions.Add(id, region);
            }

            return region;
        }
        catch
        {
            _ = LinuxNative.Close(fd);
            throw;
        }
    }

    /// <summary>
    /// Maps the region a peer's handle names, or takes one more reference to it when this process has it mapped already;
    /// either way the handle is no longer in transit.
    /// </summary>
    /// <exception cref="IOException">The region cannot be opened (its owner exited or released it, or the handle is stale).</exception>
    public static SharedRegion Open(in SharedMemoryHandle handle, bool arrive = true)
    {
        EnsureSupported();
        lock (s_lock)
        {
            if (s_regions.TryGetValue(handle.RegionId, out var mapped))
            {
                mapped.AddReferenceLocked();
                if (arrive)
                {
                    mapped.Arrive();
                }

                return mapped;
            }
        }

        if (handle.ProcessId == Environment.ProcessId)
        {
            throw new IOException($"Shared region {handle.RegionId:x16} of this process was released: it cannot be opened again.");
        }

        var path = $"/proc/{handle.ProcessId}/fd/{handle.FileDescriptor}";
        string? target;
        try
        {
            target = new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            target = null;
        }

        if (target is null)
        {
            throw new IOException(
                $"Shared region {handle.RegionId:x16} of process {handle.ProcessId} cannot be opened: " +
                (Directory.Exists($"/proc/{handle.ProcessId}") ? "that process no longer holds it (it was released)." : "that process has exited."));
        }

        if (!target.StartsWith("/memfd:" + NamePrefix + handle.RegionId.ToString("x16", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
        {
            throw new IOException($"Shared region {handle.RegionId:x16} of process {handle.ProcessId} cannot be opened: that process no longer holds it (descriptor {handle.FileDescriptor} is now {target}).");
        }

        var fd = LinuxNative.Open(path, LinuxNative.ORdwr | LinuxNative.OCloexec);
        if (fd < 0)
        {
            throw Failure("open", $"shared region {handle.RegionId:x16} of process {handle.ProcessId} cannot be opened");
        }

        try
        {
            var size = LinuxNative.Lseek(fd, 0, LinuxNative.SeekEnd);
            if (size != HeaderSize + handle.RegionSize)
            {
                throw new IOException($"Shared region {handle.RegionId:x16} of process {handle.ProcessId} has {size - HeaderSize} bytes, not the {handle.RegionSize} its handle says.");
            }

            var mapping = Map(fd, size);
            var header = (long*)mapping;
            if ((ulong)header[0] != Magic || (ulong)header[1] != handle.RegionId || header[2] != handle.RegionSize)
            {
                _ = LinuxNative.Munmap(mapping, (nuint)size);
                throw new IOException($"Descriptor {handle.FileDescriptor} of process {handle.ProcessId} is not shared region {handle.RegionId:x16}.");
            }

            lock (s_lock)
            {
                if (s_regions.TryGetValue(handle.RegionId, out var raced))
                {
                    // Another thread mapped it meanwhile: keep one mapping.
                    _ = LinuxNative.Munmap(mapping, (nuint)size);
                    _ = LinuxNative.Close(fd);
                    raced.AddReferenceLocked();
                    if (arrive)
                    {
                        raced.Arrive();
                    }

                    return raced;
                }

                var region = new SharedRegion(handle.RegionId, fd, mapping, handle.RegionSize);
                s_regions.Add(region.Id, region);
                if (arrive)
                {
                    region.Arrive();
                }

                return region;
            }
        }
        catch
        {
            _ = LinuxNative.Close(fd);
            throw;
        }
    }

    /// <summary>Takes one more reference (a slice, a memory manager).</summary>
    public void AddReference()
    {
        lock (s_lock)
        {
            if (IsClosed)
            {
                throw new ObjectDisposedException(nameof(SharedRegion), "The shared region was released.");
            }

            AddReferenceLocked();
        }
    }

    /// <summary>Counts one handle written for a peer; its receiver's <see cref="Open"/> counts it back.</summary>
    public void Depart() => Interlocked.Increment(ref InTransit);

    /// <summary>Counts a handle in transit if none is (a pooled region handed out again); false when one is.</summary>
    public bool TryReserve() => Interlocked.CompareExchange(ref InTransit, 1, 0) == 0;

    /// <summary>Drops one reference; the last one unmaps the region, or lets it linger while handles are in transit.</summary>
    public void Release()
    {
        lock (s_lock)
        {
            if (--_references > 0 || IsClosed)
            {
                return;
            }

            if (Volatile.Read(ref InTransit) > 0)
            {
                _lingerSince = Environment.TickCount64;
                s_lingering.Add(this);
                s_sweeper ??= new Timer(static _ => Sweep(), null, 5, 5);
                return;
            }

            CloseLocked();
        }
    }

    public override string ToString() => $"shared region {Id:x16} ({DataSize} bytes)";

    private static void Sweep()
    {
        lock (s_lock)
        {
            var now = Environment.TickCount64;
            for (var i = s_lingering.Count - 1; i >= 0; i--)
            {
                var region = s_lingering[i];
                if (Volatile.Read(ref region.InTransit) <= 0 || now - region._lingerSince > (long)LingerTimeout.TotalMilliseconds)
                {
                    s_lingering.RemoveAt(i);
                    region.CloseLocked();
                }
            }

            if (s_lingering.Count == 0 && s_sweeper is { } sweeper)
            {
                sweeper.Dispose();
                s_sweeper = null;
            }
        }
    }

    private void AddReferenceLocked()
    {
        if (_references++ == 0)
        {
            // Revived while lingering.
            s_lingering.Remove(this);
        }
    }

    /// <summary>Counts one handle as arrived (opened by its receiver).</summary>
    public void Arrive()
    {
        if (Interlocked.Decrement(ref InTransit) < 0)
        {
            // A handle read twice, or a forged one: never let the count go negative.
            Interlocked.Increment(ref InTransit);
        }
    }

    private void CloseLocked()
    {
        s_regions.Remove(Id);
        _ = LinuxNative.Munmap(_base, (nuint)_mappedSize);
        _ = LinuxNative.Close(_fd);
        _fd = -1;
    }

    private static nint Map(int fd, long size)
    {
        var mapping = LinuxNative.Mmap(0, (nuint)size, LinuxNative.ProtRead | LinuxNative.ProtWrite, LinuxNative.MapShared, fd, 0);
        if (mapping == -1)
        {
            throw Failure("mmap", $"a shared region of {size - HeaderSize} bytes cannot be mapped");
        }

        return mapping;
    }

    private static ulong NewId()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return MemoryMarshal.Read<ulong>(bytes);
    }

    private static void EnsureSupported()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException(
                "Processional's shared memory is implemented on Linux (memfd regions); other systems (Windows named mappings) are not supported yet.");
        }
    }

    private static IOException Failure(string call, string what) =>
        new($"{char.ToUpperInvariant(what[0])}{what[1..]}: {call} failed with errno {Marshal.GetLastPInvokeError()} ({Marshal.GetLastPInvokeErrorMessage()}).");
}
