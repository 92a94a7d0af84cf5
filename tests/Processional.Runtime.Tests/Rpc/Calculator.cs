using System.Runtime.CompilerServices;

namespace Processional.Tests.Rpc;

/// <summary>The implementation the RPC tests expose. Not thread-safe on purpose: ordered dispatch must make it safe.</summary>
internal sealed class Calculator : ICalculator
{
    private int _total;
    private int _inside;

    public List<string> Fired { get; } = [];

    public TaskCompletionSource<string> FiredSignal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int MaxConcurrency { get; private set; }

    public CancellationToken LastToken { get; private set; }

    public TaskCompletionSource<bool> Canceled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int StreamDisposed;

    public int StreamItemsProduced;

    public async ValueTask<int> AddAsync(int delta, CancellationToken cancellationToken)
    {
        Enter();
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
            Exit();
        }
    }

    public Task<string> EchoAsync(string text) => Task.FromResult(text);

    public int Add(int a, int b) => a + b;

    public void Reset() => _total = 0;

    public async Task FailAsync(string message)
    {
        await Task.Yield();
        ThrowDeep(message);
    }

    public async ValueTask<int> WaitAsync(TaskCompletionSource<int> gate, CancellationToken cancellationToken)
    {
        LastToken = cancellationToken;
        try
        {
            return await gate.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Canceled.TrySetResult(true);
            throw;
        }
    }

    public async Task<int> StepsAsync(int steps, IProgress<int> progress)
    {
        for (var i = 1; i <= steps; i++)
        {
            progress.Report(i);
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

    public async Task<int> CallBackAsync(INotifier notifier, int value)
    {
        var reply = await notifier.NotifyAsync($"value {value}");
        return reply.Length;
    }

    public INotifier CreateNotifier(string prefix) => new Notifier(prefix);

    public void Fire(string message)
    {
        Fired.Add(message);
        FiredSignal.TrySetResult(message);
    }

    public object Unserializable() => new object();

    public async Task<int> SlowIgnoringTokenAsync(TaskCompletionSource gate, CancellationToken cancellationToken)
    {
        await gate.Task;
        return 1;
    }

    public int BlockOn(TaskCompletionSource gate)
    {
        // Holds the ordered queue's thread, as a method that blocks would.
        gate.Task.Wait();
        return 1;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDeep(string message) => throw new InvalidOperationException(message);

    private void Enter()
    {
        var inside = Interlocked.Increment(ref _inside);
        MaxConcurrency = Math.Max(MaxConcurrency, inside);
    }

    private void Exit() => Interlocked.Decrement(ref _inside);
}

internal sealed class Notifier(string prefix) : INotifier
{
    public List<string> Messages { get; } = [];

    public ValueTask<string> NotifyAsync(string message)
    {
        Messages.Add(message);
        return ValueTask.FromResult($"{prefix}{message}");
    }
}
