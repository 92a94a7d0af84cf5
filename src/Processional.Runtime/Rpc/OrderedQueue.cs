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
/// next starts: at most one runner at a time, none while idle. The runner runs on thread-pool threads, or wherever a
/// custom executor puts it (a slave process's main thread).
/// </summary>
internal sealed class OrderedQueue : IThreadPoolWorkItem
{
    private readonly ConcurrentQueue<IOrderedWork> _queue = new();
    private readonly Action<IThreadPoolWorkItem>? _executor;
    private readonly ResponseBatch _replies = new();
    private int _running;

    public OrderedQueue(Action<IThreadPoolWorkItem>? executor = null) => _executor = executor;

    /// <summary>Calls waiting (not counting the one running).</summary>
    public int Count => _queue.Count;

    public void Enqueue(IOrderedWork work)
    {
        _queue.Enqueue(work);
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            Execute(this);
        }
    }

    /// <summary>
    /// Continues with the next work after asynchronous work finished: on the calling thread, or through the executor
    /// when there is one (the work must run where the executor puts it).
    /// </summary>
    public void Resume()
    {
        if (_executor is null)
        {
            RunLoop();
        }
        else
        {
            _executor(this);
        }
    }

    /// <summary>Runs unordered work where this queue runs its work.</summary>
    public void Execute(IThreadPoolWorkItem work)
    {
        if (_executor is null)
        {
            ThreadPool.UnsafeQueueUserWorkItem(work, preferLocal: false);
        }
        else
        {
            _executor(work);
        }
    }

    void IThreadPoolWorkItem.Execute() => RunLoop();

    private void RunLoop()
    {
        while (true)
        {
            while (_queue.TryDequeue(out var work))
            {
                // More calls are waiting: hold this one's reply back, to leave with theirs.
                var batching = !_queue.IsEmpty;
                if (batching)
                {
                    _replies.Enter();
                }

                bool finished;
                try
                {
                    finished = work.Run();
                }
                finally
                {
                    if (batching)
                    {
                        ResponseBatch.Exit();
                    }
                }

                if (!finished)
                {
                    _replies.Flush();
                    return;
                }

                if (_queue.IsEmpty || _replies.IsFull)
                {
                    _replies.Flush();
                }
                else
                {
                    _replies.ArmBackstop();
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
