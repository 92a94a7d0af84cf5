using System.Collections.Concurrent;

namespace Processional.Rpc;

/// <summary>A unit of work run by an <see cref="OrderedQueue"/>.</summary>
internal interface IOrderedWork : IThreadPoolWorkItem
{
    /// <summary>
    /// Runs the work. Returns <see langword="true"/> when it finished; <see langword="false"/> when it goes on
    /// asynchronously and will call <see cref="OrderedQueue.Resume"/> once finished.
    /// </summary>
    bool Run();
}

/// <summary>
/// Runs the calls to one exposed object one at a time, in arrival order, each finished (awaits included) before the
/// next starts, on thread-pool threads: at most one runner at a time, none while idle.
/// </summary>
internal sealed class OrderedQueue : IThreadPoolWorkItem
{
    private readonly ConcurrentQueue<IOrderedWork> _queue = new();
    private int _running;

    public void Enqueue(IOrderedWork work)
    {
        _queue.Enqueue(work);
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>Continues with the next work after asynchronous work finished (called on the thread that finished it).</summary>
    public void Resume() => RunLoop();

    void IThreadPoolWorkItem.Execute() => RunLoop();

    private void RunLoop()
    {
        while (true)
        {
            while (_queue.TryDequeue(out var work))
            {
                if (!work.Run())
                {
                    return;
                }
            }

            Volatile.Write(ref _running, 0);
            if (_queue.IsEmpty || Interlocked.CompareExchange(ref _running, 1, 0) != 0)
            {
                return;
            }
        }
    }
}
