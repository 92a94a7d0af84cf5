using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;

namespace Processional.Benchmarks;

/// <summary>
/// A round trip to a dedicated thread and back: <see cref="SlaveThread.Invoke{T}(Func{T})"/> and
/// <see cref="SlaveThread.InvokeAsync{T}(Func{T}, CancellationToken)"/> against what one writes by hand without
/// Processional — a dedicated thread fed by a <see cref="BlockingCollection{T}"/> of actions, each completing a
/// <see cref="TaskCompletionSource{TResult}"/>.
/// </summary>
[MemoryDiagnoser]
public class SlaveThreadBenchmarks
{
    private static readonly Func<int> s_work = static () => 42;

    private BlockingCollection<Action> _queue = null!;
    private Thread _baselineThread = null!;
    private SlaveThread _slave = null!;

    [GlobalSetup]
    public void Setup()
    {
        _queue = new BlockingCollection<Action>();
        _baselineThread = new Thread(() =>
        {
            foreach (var action in _queue.GetConsumingEnumerable())
            {
                action();
            }
        })
        { IsBackground = true };
        _baselineThread.Start();
        _slave = new SlaveThread("bench");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _queue.CompleteAdding();
        _baselineThread.Join();
        _slave.Dispose();
    }

    [Benchmark(Baseline = true, Description = "BlockingCollection + TCS (baseline)")]
    public int Baseline()
    {
        var source = new TaskCompletionSource<int>();
        _queue.Add(() => source.SetResult(s_work()));
        return source.Task.GetAwaiter().GetResult();
    }

    [Benchmark(Description = "SlaveThread.Invoke")]
    public int Invoke() => _slave.Invoke(s_work);

    [Benchmark(Description = "SlaveThread.InvokeAsync")]
    public int InvokeAsync() => _slave.InvokeAsync(s_work).GetAwaiter().GetResult();
}
