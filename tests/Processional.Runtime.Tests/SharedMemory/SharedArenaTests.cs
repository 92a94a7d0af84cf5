using Processional.Serialization;

namespace Processional.Tests.SharedMemoryTests;

/// <summary>A record holding a large array.</summary>
public sealed record Samples(string Name, double[] Values);

/// <summary>
/// Large arrays of unmanaged values passed to and returned from a slave travel through the shared-memory arena: the
/// receiver gets an ordinary array with the same contents, for sizes on both sides of the threshold.
/// </summary>
/// <remarks>Not run in parallel with other classes: it counts the arrays this process writes through the arena.</remarks>
[Collection(nameof(SharedArenaCollection))]
public sealed class SharedArenaTests
{
    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Arrays_around_the_default_threshold_arrive_identical_both_ways()
    {
        await using var slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "arena" });
        const int threshold = 64 * 1024;

        foreach (var bytes in new[] { threshold - 1, threshold, threshold + 1 })
        {
            var data = Pattern(bytes);
            var masterBefore = SharedArena.ArraysWritten;
            var slaveBefore = await slave.InvokeAsync(() => SharedArena.ArraysWritten);

            var (back, checksum) = await slave.InvokeAsync(() => ((byte[])data.Clone(), Checksum(data)));
            var slaveAfter = await slave.InvokeAsync(() => SharedArena.ArraysWritten);

            Assert.Equal(data, back);
            Assert.Equal(Checksum(data), checksum);
            var expected = bytes >= threshold ? 1 : 0;
            Assert.Equal(masterBefore + expected, SharedArena.ArraysWritten);
            Assert.Equal(slaveBefore + expected, slaveAfter);
        }

        // Elements, not bytes: doubles around 64 KiB.
        foreach (var count in new[] { (threshold / 8) - 1, threshold / 8, (threshold / 8) + 1 })
        {
            var values = Enumerable.Range(0, count).Select(i => i * 0.5).ToArray();

            var doubled = await slave.InvokeAsync(() => values.Select(v => v * 2).ToArray());

            Assert.Equal(values.Select(v => v * 2), doubled);
        }
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_large_array_inside_a_record_goes_through_the_arena()
    {
        await using var slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "arena-records", SharedArrayThreshold = 4096 });
        var samples = new Samples("s", Enumerable.Range(0, 10_000).Select(i => i / 3.0).ToArray());
        var before = SharedArena.ArraysWritten;

        var back = await slave.InvokeAsync(() => samples with { Name = samples.Name + samples.Values.Length });

        Assert.Equal("s10000", back.Name);
        Assert.Equal(samples.Values, back.Values);
        Assert.Equal(before + 1, SharedArena.ArraysWritten);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Results_above_the_threshold_are_written_through_the_arena_by_the_slave()
    {
        await using var slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "arena-results", SharedArrayThreshold = 1000 });

        var (small, large) = await slave.InvokeAsync(() =>
        {
            var start = SharedArena.ArraysWritten;
            return (start, start);
        });
        var below = await slave.InvokeAsync(() => new int[249]);
        var afterBelow = await slave.InvokeAsync(() => SharedArena.ArraysWritten);
        var at = await slave.InvokeAsync(() => Enumerable.Range(0, 250).ToArray());
        var afterAt = await slave.InvokeAsync(() => SharedArena.ArraysWritten);
        var above = await slave.InvokeAsync(() => Enumerable.Range(0, 251).Select(i => (long)i << 33).ToArray());
        var afterAbove = await slave.InvokeAsync(() => SharedArena.ArraysWritten);

        Assert.Equal(small, large);
        Assert.Equal(249, below.Length);
        Assert.Equal(small, afterBelow);
        Assert.Equal(Enumerable.Range(0, 250), at);
        Assert.Equal(small + 1, afterAt);
        Assert.Equal(Enumerable.Range(0, 251).Select(i => (long)i << 33), above);
        Assert.Equal(small + 2, afterAbove);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task With_the_arena_off_arrays_go_through_the_socket()
    {
        await using var slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "no-arena", SharedArrayThreshold = null });
        var data = Pattern(1 << 20);
        var before = SharedArena.ArraysWritten;

        var back = await slave.InvokeAsync(() => data.Reverse().ToArray());
        var slaveWrote = await slave.InvokeAsync(() => SharedArena.ArraysWritten);

        Assert.Equal(data.Reverse(), back);
        Assert.Equal(before, SharedArena.ArraysWritten);
        Assert.Equal(0, slaveWrote);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_pooled_region_is_reused_once_its_reader_is_done()
    {
        await Task.Yield();
        var options = SharedArena.SerializerOptions(1024);
        var first = Pattern(100_000);
        var second = Pattern(90_000).Reverse().ToArray();

        var bytes1 = ProcessionalSerializer.Serialize(first, options);
        Assert.Equal(first, ProcessionalSerializer.Deserialize<byte[]>(bytes1, options));
        var bytes2 = ProcessionalSerializer.Serialize(second, options);

        // The same region id: the first reader was done with it.
        Assert.Equal(bytes1.AsSpan(17, 8).ToArray(), bytes2.AsSpan(17, 8).ToArray());
        Assert.Equal(second, ProcessionalSerializer.Deserialize<byte[]>(bytes2, options));
        Assert.Equal(4 + 4 + 41, bytes1.Length);
        Assert.Equal(-2, BitConverter.ToInt32(bytes1, 0));
        Assert.Equal(100_000, BitConverter.ToInt32(bytes1, 4));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task An_array_larger_than_half_the_pool_gets_a_region_freed_after_the_read()
    {
        await Task.Yield();
        var options = SharedArena.SerializerOptions(1024);
        var huge = new long[(130 << 20) / sizeof(long)];
        huge[^1] = 42;

        var bytes = ProcessionalSerializer.Serialize(huge, options);
        var id = BitConverter.ToUInt64(bytes, 17);
        var mappedWhileInTransit = SharedRegion.IsMapped(id);
        var back = ProcessionalSerializer.Deserialize<long[]>(bytes, options)!;

        Assert.True(mappedWhileInTransit);
        Assert.Equal(42, back[^1]);
        Assert.Equal(huge.Length, back.Length);
        Assert.False(SharedRegion.IsMapped(id));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task An_arena_array_on_a_connection_without_shared_memory_is_rejected()
    {
        await Task.Yield();
        var bytes = ProcessionalSerializer.Serialize(Pattern(70_000), SharedArena.SerializerOptions(1024));

        var error = Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Deserialize<byte[]>(bytes));

        Assert.Contains("shared memory", error.Message, StringComparison.Ordinal);
    }

    internal static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)((i * 31) ^ (i >> 8));
        }

        return bytes;
    }

    internal static long Checksum(byte[] bytes)
    {
        long sum = 17;
        foreach (var b in bytes)
        {
            sum = (sum * 31) + b;
        }

        return sum;
    }
}

/// <summary>The tests that count this process's arena transfers run alone.</summary>
[CollectionDefinition(nameof(SharedArenaCollection), DisableParallelization = true)]
public sealed class SharedArenaCollection
{
}
