using Processional.Serialization;

namespace Processional.Tests.SharedMemoryTests;

/// <summary>Keeps a slave's arrays alive in the slave between calls.</summary>
public static class SlaveKeeper
{
    public static readonly List<IDisposable> Kept = [];
}

/// <summary>What a <c>kill -9</c> leaves behind: nothing but the mappings other processes still hold.</summary>
public sealed class SharedMemoryCrashTests
{
    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_killed_slave_leaves_no_file_and_the_master_keeps_what_it_holds()
    {
        var slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "doomed" });
        var pid = slave.ProcessId;
        using var mine = SharedArray<int>.Allocate(1024);
        var received = await slave.InvokeAsync(() =>
        {
            var kept = SharedArray<int>.Allocate(1 << 20);
            var second = SharedMemory.Allocate(1 << 16);
            kept[5] = 55;
            SlaveKeeper.Kept.Add(kept);
            SlaveKeeper.Kept.Add(second);
            SlaveKeeper.Kept.Add(mine);
            return kept.Slice(0, 10);
        });
        var slaveName = SharedMemoryTests.RegionName(received);
        var mineName = SharedMemoryTests.RegionName(mine);
        Assert.Equal(1, SharedMemoryTests.MappingsOf(pid, mineName));
        Assert.Equal(1, SharedMemoryTests.MappingsOf(pid, slaveName));

        slave.Kill();
        await slave.Exited.WaitAsync(TestTimeouts.Patience);
        await slave.DisposeAsync();

        Assert.False(Directory.Exists($"/proc/{pid}"));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries("/dev/shm"), path => path.Contains("processional", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(55, received[5]);
        mine[0] = 1;
        received.Dispose();
        Assert.Equal(0, SharedMemoryTests.MappingsOf(Environment.ProcessId, slaveName));
        Assert.DoesNotContain(SharedMemoryTests.OpenDescriptorTargets(Environment.ProcessId), target => target.Contains(slaveName, StringComparison.Ordinal));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_handle_of_a_process_that_exited_is_a_clear_error()
    {
        var slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "gone" });
        var bytes = await slave.InvokeAsync(() =>
        {
            var kept = SharedArray<double>.Allocate(16);
            SlaveKeeper.Kept.Add(kept);
            return ProcessionalSerializer.Serialize(kept);
        });
        var pid = slave.ProcessId;
        slave.Kill();
        await slave.Exited.WaitAsync(TestTimeouts.Patience);
        await slave.DisposeAsync();

        var error = Assert.Throws<IOException>(() => ProcessionalSerializer.Deserialize<SharedArray<double>>(bytes));

        Assert.Contains($"process {pid}", error.Message, StringComparison.Ordinal);
        Assert.Contains("exited", error.Message, StringComparison.Ordinal);
    }
}
