using System.Runtime.CompilerServices;

namespace Processional.Tests.Rpc;

// [Remote] interfaces whose proxies and dispatchers the source generator writes (the hand-written ICalculator is the
// template they follow), and the implementations GeneratedRemoteTests exposes.

/// <summary>A user type sent by value: its formatter is generated because [Remote] signatures root it.</summary>
public sealed record WorkItem(int Id, string Name, List<string> Tags);

/// <summary>A progress value of a user type.</summary>
public sealed record WorkProgress(int Done, string Stage);

/// <summary>A user exception type: the generator registers it, so it is re-thrown with its own type.</summary>
public sealed class OrderRejectedException : Exception
{
    public OrderRejectedException(string message)
        : base(message)
    {
    }

    public OrderRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

[Remote]
public interface IWorkerBase
{
    Task<string> NameAsync();

    ValueTask<int> VersionAsync();
}

[Remote]
public interface IWorkObserver
{
    ValueTask<string> OnNextAsync(string message);
}

[Remote]
public interface IWorkSession
{
    Task<string> NameAsync();

    int Calls { get; }
}

[Remote]
public interface IWorker : IWorkerBase
{
    Task ResetAsync();

    Task<int> AddAsync(int delta);

    ValueTask ClearAsync();

    ValueTask<int> TotalAsync();

    int Add(int a, int b);

    void Reset();

    WorkItem? Find(int id);

    Task<WorkItem> EchoAsync(WorkItem item);

    string Label { get; }

    int this[int index] { get; }

    Task<string> DescribeAsync(int value);

    Task<string> DescribeAsync(string value);

    Task<string> DescribeAsync(int value, string suffix);

    Task<int> WaitAsync(int tag, CancellationToken cancellationToken);

    Task<int> IgnoreTokenAsync(CancellationToken cancellationToken);

    Task<int> RunAsync(int steps, IProgress<WorkProgress> progress);

    IAsyncEnumerable<int> CountAsync(int count, CancellationToken cancellationToken = default);

    Task<int> NotifyAsync(IWorkObserver observer, string message);

    IWorkSession Open(string name);

    Task<IWorkSession> OpenAsync(string name);

    ValueTask<IWorkSession?> FindSessionAsync(string name);

    [OneWay]
    void Fire(string message);

    [OneWay]
    Task FireAsync(string message);

    Task FailAsync(string message);

    Task RejectAsync(string reason);

    Task FailPrivatelyAsync();
}

/// <summary>The implementation the tests expose. Not thread-safe on purpose: ordered dispatch must make it safe.</summary>
internal sealed class Worker : IWorker
{
    private int _total;
    private int _inside;

    public int MaxConcurrency { get; private set; }

    public int Calls;

    public TaskCompletionSource<int> Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<bool> Canceled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<string> Fired { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<string> FiredAsync { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int StreamItemsProduced;

    public int StreamDisposed;

    public Task<string> NameAsync() => Task.FromResult("worker");

    public ValueTask<int> VersionAsync() => ValueTask.FromResult(3);

    public Task ResetAsync()
    {
        Interlocked.Increment(ref Calls);
        _total = 0;
        return Task.CompletedTask;
    }

    public async Task<int> AddAsync(int delta)
    {
        Interlocked.Increment(ref Calls);
        var inside = Interlocked.Increment(ref _inside);
        MaxConcurrency = Math.Max(MaxConcurrency, inside);
        try
        {
            var before = _total;
            if (delta % 2 == 1)
            {
                // An await in the middle: ordered dispatch must still let no other call in.
                await Task.Yield();
            }

            _total = before + delta;
            return _total;
        }
        finally
        {
            Interlocked.Decrement(ref _inside);
        }
    }

    public async ValueTask ClearAsync()
    {
        await Task.Yield();
        _total = 0;
    }

    public ValueTask<int> TotalAsync() => ValueTask.FromResult(_total);

    public int Add(int a, int b) => a + b;

    public void Reset() => _total = 0;

    public WorkItem? Find(int id) => id < 0 ? null : new WorkItem(id, $"item {id}", ["found"]);

    public async Task<WorkItem> EchoAsync(WorkItem item)
    {
        await Task.Yield();
        return item with { Tags = [.. item.Tags, "echoed"] };
    }

    public string Label => "the worker";

    public int this[int index] => index * index;

    public Task<string> DescribeAsync(int value) => Task.FromResult($"int {value}");

    public Task<string> DescribeAsync(string value) => Task.FromResult($"string {value}");

    public Task<string> DescribeAsync(int value, string suffix) => Task.FromResult($"int {value} {suffix}");

    public async Task<int> WaitAsync(int tag, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        Started.TrySetResult();
        try
        {
            return tag + await Gate.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Canceled.TrySetResult(true);
            throw;
        }
    }

    public async Task<int> IgnoreTokenAsync(CancellationToken cancellationToken)
    {
        Started.TrySetResult();
        await Release.Task;
        return 1;
    }

    public async Task<int> RunAsync(int steps, IProgress<WorkProgress> progress)
    {
        for (var i = 1; i <= steps; i++)
        {
            progress.Report(new WorkProgress(i, i % 2 == 0 ? "even" : "odd"));
            if (i % 3 == 0)
            {
                await Task.Yield();
            }
        }

        return steps;
    }

    public async IAsyncEnumerable<int> CountAsync(int count, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            for (var i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Interlocked.Increment(ref StreamItemsProduced);
                yield return i;
                if (i % 10 == 0)
                {
                    await Task.Yield();
                }
            }
        }
        finally
        {
            Interlocked.Increment(ref StreamDisposed);
        }
    }

    public async Task<int> NotifyAsync(IWorkObserver observer, string message)
    {
        // Called back while this call is still running: the reply travels back before the call completes.
        var reply = await observer.OnNextAsync(message);
        return reply.Length;
    }

    public IWorkSession Open(string name) => new WorkSession(name);

    public async Task<IWorkSession> OpenAsync(string name)
    {
        await Task.Yield();
        return new WorkSession(name);
    }

    public ValueTask<IWorkSession?> FindSessionAsync(string name) =>
        ValueTask.FromResult<IWorkSession?>(name.Length == 0 ? null : new WorkSession(name));

    public void Fire(string message) => Fired.TrySetResult(message);

    public Task FireAsync(string message)
    {
        FiredAsync.TrySetResult(message);
        return Task.CompletedTask;
    }

    public async Task FailAsync(string message)
    {
        await Task.Yield();
        ThrowDeep(message);
    }

    public async Task RejectAsync(string reason)
    {
        await Task.Yield();
        RejectDeep(reason);
    }

    public Task FailPrivatelyAsync() => throw new PrivateException("private");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDeep(string message) => throw new InvalidOperationException(message);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RejectDeep(string reason) => throw new OrderRejectedException(reason, new FormatException("bad quantity"));

    // Private: generated code cannot name it, so it is not registered and comes back as a RemoteException.
    private sealed class PrivateException(string message) : Exception(message);
}

internal sealed class WorkSession(string name) : IWorkSession
{
    private int _calls;

    public int Calls => _calls;

    public Task<string> NameAsync()
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(name);
    }
}

internal sealed class RecordingObserver(string prefix) : IWorkObserver
{
    public List<string> Messages { get; } = [];

    public ValueTask<string> OnNextAsync(string message)
    {
        Messages.Add(message);
        return ValueTask.FromResult(prefix + message);
    }
}
