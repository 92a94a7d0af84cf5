using BenchmarkDotNet.Attributes;

namespace Processional.Benchmarks.SharedMemory;

/// <summary>
/// Passing a <see cref="SharedArray{T}"/> of doubles to a slave process, which reads one element and releases its view:
/// only the handle travels, so the time should not depend on the size (goal: within 2× across sizes, under 100 µs).
/// The baseline is the same call with no capture.
/// </summary>
/// <remarks>dotnet run -c Release --project bench/Processional.Benchmarks -- --filter '*SharedMemory*' --job short</remarks>
[MemoryDiagnoser]
public class SharedMemoryPassBenchmarks
{
    private SlaveProcess? _slave;
    private SharedArray<double>? _array;

    /// <summary>The array's size in MiB.</summary>
    [Params(1, 64, 1024)]
    public int SizeMiB { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "bench-shared" });
        _array = SharedArray<double>.Allocate(SizeMiB * (1024 * 1024 / sizeof(double)));
        _array[0] = 1.5;
        _array[_array.Length - 1] = 2.5;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _array?.Dispose();
        if (_slave is not null)
        {
            await _slave.DisposeAsync();
        }
    }

    [Benchmark(Baseline = true)]
    public Task<double> EmptyCall() => _slave!.InvokeAsync(() => 1.5);

    [Benchmark]
    public Task<double> PassAndReadOneElement()
    {
        var array = _array!;
        return _slave!.InvokeAsync(() =>
        {
            using (array)
            {
                return array[array.Length - 1];
            }
        });
    }
}

/// <summary>
/// A 64 MiB <c>double[]</c> sent to a slave (which returns its length): through the shared-memory arena, through the
/// socket (arena off), and against a plain copy of the same bytes in this process (goal: the arena at least half the
/// copy's bandwidth).
/// </summary>
[MemoryDiagnoser]
public class SharedMemoryArenaBenchmarks
{
    private const int Count = 64 * 1024 * 1024 / sizeof(double);
    private SlaveProcess? _arenaSlave;
    private SlaveProcess? _socketSlave;
    private double[] _values = [];
    private double[] _destination = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _arenaSlave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "bench-arena" });
        _socketSlave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = "bench-socket", SharedArrayThreshold = null });
        _values = Enumerable.Range(0, Count).Select(i => i * 0.25).ToArray();
        _destination = new double[Count];
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_arenaSlave is not null)
        {
            await _arenaSlave.DisposeAsync();
        }

        if (_socketSlave is not null)
        {
            await _socketSlave.DisposeAsync();
        }
    }

    [Benchmark(Baseline = true)]
    public void Memcpy() => _values.AsSpan().CopyTo(_destination);

    [Benchmark]
    public Task<int> Arena()
    {
        var values = _values;
        return _arenaSlave!.InvokeAsync(() => values.Length);
    }

    [Benchmark]
    public Task<int> Socket()
    {
        var values = _values;
        return _socketSlave!.InvokeAsync(() => values.Length);
    }
}
