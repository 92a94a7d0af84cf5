using System.Buffers;
using System.Globalization;
using Processional.Serialization;

namespace Processional;

/// <summary>
/// Carries large arrays of unmanaged values to a process on the same machine through shared memory instead of the
/// socket: the writer copies the array into a region of a process-wide pool and writes a handle; the reader maps the
/// region, copies the bytes into a new array and releases it. A pooled region is reused once its receiver has read it
/// (its in-transit count is back to zero), so steady transfers touch no fresh pages on the writing side; the reader keeps
/// the regions it read mapped (up to 256 MiB, least recently used dropped first) for the same reason.
/// </summary>
internal sealed class SharedArena : LargeArrayTransfer
{
    /// <summary>The default threshold: arrays of 64 KiB or more.</summary>
    public const int DefaultThreshold = 64 * 1024;

    /// <summary>The environment variable through which a master gives its slave the same threshold (a number of bytes, or <c>off</c>).</summary>
    public const string ThresholdVariable = "PROCESSIONAL_SHARED_ARRAY_THRESHOLD";

    private const long PoolCapacity = 256L * 1024 * 1024;
    private const long Granularity = 64 * 1024;

    // Larger arrays get a region of their own, freed once their reader is done, instead of being pooled and cached.
    private const long MaxPooledRegion = PoolCapacity / 2;

    private static readonly Lock s_poolLock = new();
    private static readonly List<SharedRegion> s_pool = [];
    private static long s_pooledBytes;
    private static long s_written;

    // Regions this process read arrays from, kept mapped (most recent last) so that the next array a writer sends in the
    // same pooled region is read without mapping it and faulting its pages in again.
    private static readonly List<SharedRegion> s_readCache = [];
    private static long s_readCacheBytes;

    private SharedArena(long threshold) => Threshold = threshold;

    /// <inheritdoc/>
    public override long Threshold { get; }

    /// <summary>How many arrays this process wrote through shared memory (for tests).</summary>
    internal static long ArraysWritten => Interlocked.Read(ref s_written);

    /// <summary>Pooled regions (for tests).</summary>
    internal static int PooledCount
    {
        get
        {
            lock (s_poolLock)
            {
                return s_pool.Count;
            }
        }
    }

    /// <summary>
    /// Serializer options for a connection to a process on this machine: arrays of at least <paramref name="threshold"/>
    /// bytes go through shared memory; <see langword="null"/> (or a system without shared memory) keeps them inline.
    /// </summary>
    public static ProcessionalSerializerOptions SerializerOptions(int? threshold, ProcessionalSerializerOptions? options = null)
    {
        options ??= ProcessionalSerializerOptions.Default;
        return threshold is { } bytes && OperatingSystem.IsLinux()
            ? options with { LargeArrays = new SharedArena(Math.Max(1, bytes)) }
            : options;
    }

    /// <summary>The threshold a slave was given by its master (<see cref="ThresholdVariable"/>), or the default.</summary>
    public static int? ThresholdFromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(ThresholdVariable);
        if (string.IsNullOrEmpty(text))
        {
            return DefaultThreshold;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : null;
    }

    /// <summary>The value of <see cref="ThresholdVariable"/> for <paramref name="threshold"/>.</summary>
    public static string Format(int? threshold) => threshold?.ToString(CultureInfo.InvariantCulture) ?? "off";

    /// <inheritdoc/>
    public override void Write<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, ReadOnlySpan<byte> bytes)
    {
        var region = Acquire(bytes.Length);
        unsafe
        {
            bytes.CopyTo(new Span<byte>(region.Data, bytes.Length));
        }

        // Acquire counted the handle in transit already: the region cannot be handed out again before its reader is done.
        SharedMemoryHandle.Write(ref writer, region, 0, bytes.Length, depart: false);
        Interlocked.Increment(ref s_written);
        if (region.DataSize > MaxPooledRegion)
        {
            // Not pooled: it lingers until the reader has copied it out, then closes.
            region.Release();
        }
    }

    /// <inheritdoc/>
    public override void Read(ref ProcessionalReader reader, Span<byte> destination)
    {
        var start = reader.Consumed;
        if (SharedMemoryFormatter.ReadHandle(ref reader) is not { } handle || handle.Length != destination.Length)
        {
            reader.ThrowInvalid($"An array carried in shared memory has no handle, or one of another size (at offset {start})");
            return;
        }

        // Open counts the arrival only after the copy, so the writer does not reuse the region while it is read.
        var region = SharedRegion.Open(handle, arrive: false);
        try
        {
            unsafe
            {
                new ReadOnlySpan<byte>(region.Data + handle.Offset, destination.Length).CopyTo(destination);
            }
        }
        finally
        {
            region.Arrive();
            KeepMapped(region);
        }
    }

    /// <summary>Keeps the reference to a region just read in the read cache (or drops it when the cache has the region already).</summary>
    private static void KeepMapped(SharedRegion region)
    {
        if (region.DataSize > MaxPooledRegion)
        {
            region.Release();
            return;
        }

        lock (s_poolLock)
        {
            if (s_readCache.Remove(region))
            {
                // Already cached: that entry holds a reference; drop this one.
                s_readCache.Add(region);
                region.Release();
                return;
            }

            s_readCache.Add(region);
            s_readCacheBytes += region.DataSize;
            while (s_readCacheBytes > PoolCapacity && s_readCache.Count > 1)
            {
                var old = s_readCache[0];
                s_readCache.RemoveAt(0);
                s_readCacheBytes -= old.DataSize;
                old.Release();
            }
        }
    }

    private static SharedRegion Acquire(long bytes)
    {
        lock (s_poolLock)
        {
            foreach (var pooled in s_pool)
            {
                if (pooled.DataSize >= bytes && pooled.DataSize <= (2 * bytes) + Granularity && pooled.TryReserve())
                {
                    // Most recently used last: eviction takes the front.
                    s_pool.Remove(pooled);
                    s_pool.Add(pooled);
                    return pooled;
                }
            }

            var size = (bytes + Granularity - 1) / Granularity * Granularity;
            var region = SharedRegion.Allocate(size);
            region.Depart();
            if (size > MaxPooledRegion)
            {
                return region;
            }

            s_pool.Add(region);
            s_pooledBytes += size;
            for (var i = 0; s_pooledBytes > PoolCapacity && i < s_pool.Count - 1;)
            {
                var old = s_pool[i];
                s_pool.RemoveAt(i);
                s_pooledBytes -= old.DataSize;

                // In transit: it lingers until its reader is done, then closes.
                old.Release();
            }

            return region;
        }
    }
}
