using System.Runtime.CompilerServices;
using Processional.Serialization;
using Processional.Tests.Slaves;

namespace Processional.Tests.SharedMemoryTests;

/// <summary>A [Remote] interface whose parameters and results are shared arrays.</summary>
[Remote]
public interface IPixelWorker
{
    double Sum(SharedArray<double> values);

    SharedArray<int> Squares(int count);
}

/// <summary>A record with a shared array member: the member travels as a handle.</summary>
public sealed record Frame(int Number, SharedArray<float> Pixels);

/// <summary>The slave's implementation.</summary>
public sealed class PixelWorker : IPixelWorker
{
    public double Sum(SharedArray<double> values)
    {
        using (values)
        {
            var sum = 0.0;
            foreach (var value in values.Span)
            {
                sum += value;
            }

            values[0] = -1;
            return sum;
        }
    }

    public SharedArray<int> Squares(int count)
    {
        var squares = SharedArray<int>.Allocate(count);
        for (var i = 0; i < count; i++)
        {
            squares[i] = i * i;
        }

        return squares;
    }
}

/// <summary>Shared arrays and regions passed to and from real slave processes.</summary>
public sealed class SharedMemoryTests(SharedSlaveFixture fixture) : IClassFixture<SharedSlaveFixture>
{
    private SlaveProcess Slave => fixture.Slave;

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Writes_are_visible_both_ways()
    {
        using var data = SharedArray<int>.Allocate(1000);
        data[10] = 42;

        var seen = await Slave.InvokeAsync(() =>
        {
            var before = data[10];
            data[11] = Environment.ProcessId;
            data.Dispose();
            return before;
        });

        Assert.Equal(42, seen);
        Assert.Equal(Slave.ProcessId, data[11]);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_slice_is_a_view_of_the_same_memory_in_the_slave()
    {
        using var data = SharedArray<long>.Allocate(100);
        using var slice = data.Slice(40, 10);
        slice[0] = 7;

        var (length, first) = await Slave.InvokeAsync(() =>
        {
            using (slice)
            {
                slice[9] = 99;
                return (slice.Length, slice[0]);
            }
        });

        Assert.Equal((10, 7L), (length, first));
        Assert.Equal(99, data[49]);
        Assert.Equal(7, data[40]);
        Assert.Equal(0, data[50]);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task An_array_allocated_in_the_slave_comes_back_mapped()
    {
        using var squares = await Slave.InvokeAsync(() =>
        {
            var array = SharedArray<int>.Allocate(5000);
            for (var i = 0; i < array.Length; i++)
            {
                array[i] = i * i;
            }

            return array;
        });

        Assert.Equal(5000, squares.Length);
        Assert.Equal(4999 * 4999, squares[4999]);
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => i * i), squares.ToArray());
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Untyped_shared_memory_travels_and_can_be_viewed_as_an_array()
    {
        using var memory = SharedMemory.Allocate(4096);
        memory.Span[100] = 5;

        var read = await Slave.InvokeAsync(() =>
        {
            using (memory)
            using (var doubles = memory.AsArray<double>())
            {
                doubles[1] = 2.5;
                return (memory.Length, memory.Span[100], doubles.Length);
            }
        });

        Assert.Equal((4096L, (byte)5, 512), read);
        using var view = memory.AsArray<double>();
        Assert.Equal(2.5, view[1]);
        Assert.Equal(2.5, BitConverter.ToDouble(memory.GetSpan(8, 8)));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Remote_interface_arguments_and_results_are_shared()
    {
        var worker = await Slave.CreateAsync<IPixelWorker>(() => new PixelWorker());
        using var values = SharedArray<double>.CopyFrom([1.5, 2.5, 3.0]);

        var sum = await Task.Run(() => worker.Sum(values));
        using var squares = await Task.Run(() => worker.Squares(100));

        Assert.Equal(7.0, sum);
        Assert.Equal(-1, values[0]);
        Assert.Equal(99 * 99, squares[99]);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_shared_array_member_of_a_record_travels_as_a_handle()
    {
        using var pixels = SharedArray<float>.Allocate(64);
        var frame = new Frame(3, pixels);

        var returned = await Slave.InvokeAsync(() =>
        {
            frame.Pixels[frame.Number] = 1.25f;
            return frame with { Number = 4 };
        });

        Assert.Equal(1.25f, pixels[3]);
        Assert.Equal(4, returned.Number);
        Assert.Equal(1.25f, returned.Pixels[3]);
        returned.Pixels.Dispose();
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Two_regions_never_alias()
    {
        using var first = SharedArray<int>.Allocate(16);
        using var second = SharedArray<int>.Allocate(16);
        first[0] = 1;
        second[0] = 2;

        var inSlave = await Slave.InvokeAsync(() =>
        {
            using (first)
            using (second)
            {
                first[1] = 10;
                second[1] = 20;
                return (first[0], second[0]);
            }
        });
        var (a, b) = await Slave.InvokeAsync(() => (SharedArray<int>.Allocate(4), SharedArray<int>.Allocate(4)));
        using (a)
        using (b)
        {
            a[0] = 3;
            b[0] = 4;
            Assert.Equal((3, 4), (a[0], b[0]));
            Assert.False(a.Span.Overlaps(b.Span));
        }

        Assert.Equal((1, 2), inSlave);
        Assert.Equal((10, 20), (first[1], second[1]));
        Assert.False(first.Span.Overlaps(second.Span));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Receiving_the_same_region_again_reuses_the_mapping()
    {
        using var data = SharedArray<int>.Allocate(10);
        var mapped = MappingsOf(Environment.ProcessId, data);

        using var back = await Slave.InvokeAsync(() => data);
        using var again = await Slave.InvokeAsync(() => data);

        Assert.Equal(1, mapped);
        Assert.Equal(1, MappingsOf(Environment.ProcessId, data));
        back[3] = 33;
        Assert.Equal(33, data[3]);
        Assert.True(Unsafe.AreSame(ref data[0], ref again[0]));
        back.Dispose();
        Assert.Equal(33, again[3]);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Release_unmaps_in_each_process()
    {
        var data = SharedArray<byte>.Allocate(1 << 20);
        var name = RegionName(data);

        var (duringCall, afterDispose) = await Slave.InvokeAsync(() =>
        {
            var during = File.ReadAllText("/proc/self/maps").Contains(name, StringComparison.Ordinal);
            data.Dispose();
            return (during, File.ReadAllText("/proc/self/maps").Contains(name, StringComparison.Ordinal));
        });

        Assert.True(duringCall);
        Assert.False(afterDispose);
        Assert.Equal(1, MappingsOf(Environment.ProcessId, data));
        data.Dispose();
        Assert.Equal(0, MappingsOf(Environment.ProcessId, name));
        Assert.DoesNotContain(OpenDescriptorTargets(Environment.ProcessId), target => target.Contains(name, StringComparison.Ordinal));
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_handle_released_by_its_sender_before_the_receiver_opens_it_still_opens()
    {
        // The slave writes the handle, then drops its array at once: the region lingers until this side opened it.
        var bytes = await Slave.InvokeAsync(() =>
        {
            using var array = SharedArray<int>.Allocate(8);
            array[0] = 123;
            return ProcessionalSerializer.Serialize(array);
        });

        using var received = ProcessionalSerializer.Deserialize<SharedArray<int>>(bytes)!;

        Assert.Equal(123, received[0]);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_shared_sequence_synchronizes_two_processes()
    {
        using var sequence = SharedSequence.Allocate();

        var slaveSide = Slave.InvokeAsync(() =>
        {
            using (sequence)
            {
                if (!sequence.WaitFor(1, TimeSpan.FromSeconds(20)))
                {
                    return -1L;
                }

                for (var i = 0; i < 10_000; i++)
                {
                    sequence.Increment();
                }

                return sequence.Value;
            }
        });
        sequence.Increment();
        for (var i = 0; i < 10_000; i++)
        {
            sequence.Increment();
        }

        Assert.True(sequence.WaitFor(20_001, TestTimeouts.Patience));
        Assert.True(await slaveSide > 10_000);
        Assert.Equal(20_001, sequence.Value);
        Assert.False(sequence.WaitFor(20_002, TimeSpan.FromMilliseconds(20)));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Bad_arguments_are_rejected()
    {
        await Task.Yield();
        using var data = SharedArray<int>.Allocate(10);

        Assert.Throws<ArgumentOutOfRangeException>(() => SharedArray<int>.Allocate(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SharedMemory.Allocate(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Slice(5, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Slice(-1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Slice(11));
        Assert.Throws<IndexOutOfRangeException>(() => data[10]);
        using var memory = SharedMemory.Allocate(10);
        Assert.Throws<ArgumentOutOfRangeException>(() => memory.GetSpan(8, 3));
        using var cell = SharedArray<long>.Allocate(1);
        Assert.Throws<ArgumentException>(() => new SharedSequence(cell));
        using var region = SharedMemory.Allocate(64);
        using var unaligned = region.Slice(4, 32);
        using var cells = unaligned.AsArray<long>();
        Assert.Throws<ArgumentException>(() => new SharedSequence(cells));
        Assert.Empty(data.Slice(10).ToArray());
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Use_after_dispose_throws_ObjectDisposedException()
    {
        await Task.Yield();
        var data = SharedArray<int>.Allocate(10);
        using var slice = data.Slice(2, 2);
        data.Dispose();
        data.Dispose();

        Assert.True(data.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => data.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => data[0]);
        Assert.Throws<ObjectDisposedException>(() => data.Memory);
        Assert.Throws<ObjectDisposedException>(() => data.Slice(0, 1));
        Assert.Throws<ObjectDisposedException>(() => ProcessionalSerializer.Serialize(data));
        slice[0] = 1;
        Assert.Equal(1, slice[0]);
        var memory = SharedMemory.Allocate(8);
        memory.Dispose();
        Assert.Throws<ObjectDisposedException>(() => memory.Span.Length);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Memory_keeps_the_mapping_alive_after_dispose()
    {
        await Task.Yield();
        var data = SharedArray<int>.Allocate(4);
        var memory = data.Memory;
        data.Dispose();

        memory.Span[3] = 9;

        Assert.Equal(9, memory.Span[3]);
        Assert.Equal(4, memory.Length);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_handle_written_in_this_process_reads_back_as_the_same_mapping()
    {
        await Task.Yield();
        using var data = SharedArray<short>.Allocate(6);
        using var slice = data.Slice(2, 3);

        var bytes = ProcessionalSerializer.Serialize(slice);
        using var back = ProcessionalSerializer.Deserialize<SharedArray<short>>(bytes)!;
        back[0] = 5;

        Assert.Equal(41, bytes.Length);
        Assert.Equal(1, bytes[0]);
        Assert.Equal(Environment.ProcessId, BitConverter.ToInt32(bytes, 1));
        Assert.Equal(12, BitConverter.ToInt64(bytes, 17));
        Assert.Equal(4, BitConverter.ToInt64(bytes, 25));
        Assert.Equal(6, BitConverter.ToInt64(bytes, 33));
        Assert.Equal(5, data[2]);
        Assert.Equal([0], ProcessionalSerializer.Serialize<SharedArray<short>>(null));
        Assert.Null(ProcessionalSerializer.Deserialize<SharedArray<short>>([0]));
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_forged_handle_is_rejected_clearly()
    {
        await Task.Yield();
        using var data = SharedArray<int>.Allocate(4);
        var bytes = ProcessionalSerializer.Serialize(data);

        var tooLong = (byte[])bytes.Clone();
        BitConverter.TryWriteBytes(tooLong.AsSpan(33), 17L);
        var badKind = (byte[])bytes.Clone();
        badKind[0] = 7;
        var unknownRegion = (byte[])bytes.Clone();
        BitConverter.TryWriteBytes(unknownRegion.AsSpan(9), 12345UL);

        Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Deserialize<SharedArray<int>>(tooLong));
        Assert.Throws<ProcessionalSerializationException>(() => ProcessionalSerializer.Deserialize<SharedArray<int>>(badKind));
        var stale = Assert.Throws<IOException>(() => ProcessionalSerializer.Deserialize<SharedArray<int>>(unknownRegion));
        Assert.Contains("released", stale.Message, StringComparison.Ordinal);
    }

    internal static string RegionName<T>(SharedArray<T> array)
        where T : unmanaged => "/memfd:" + SharedRegion.NamePrefix + array.Lease.Get(array).Id.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    internal static int MappingsOf<T>(int pid, SharedArray<T> array)
        where T : unmanaged => MappingsOf(pid, RegionName(array));

    internal static int MappingsOf(int pid, string name) =>
        File.ReadAllLines($"/proc/{pid}/maps").Count(line => line.Contains(name, StringComparison.Ordinal));

    internal static IEnumerable<string> OpenDescriptorTargets(int pid) =>
        Directory.EnumerateFiles($"/proc/{pid}/fd").Select(path =>
        {
            try
            {
                return new FileInfo(path).LinkTarget ?? string.Empty;
            }
            catch (IOException)
            {
                return string.Empty;
            }
        }).ToList();
}
