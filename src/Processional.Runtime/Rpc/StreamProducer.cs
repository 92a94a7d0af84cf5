namespace Processional.Rpc;

/// <summary>The callee's side of a stream: the server-side control of a producer, whatever its item type.</summary>
internal abstract class StreamProducer
{
    public abstract void AddCredit(int credit);

    public abstract void Cancel();
}

/// <summary>
/// Sends the items of an <see cref="IAsyncEnumerable{T}"/> while the consumer has credit. Each step (one
/// <c>MoveNextAsync</c> and the item it yields) runs through the exposed object's queue, so an ordered object is never
/// touched by its stream and by another call at once, and a call the consumer makes between two items is not stuck
/// behind the whole stream.
/// </summary>
internal sealed class StreamProducer<T> : StreamProducer, IOrderedWork
{
    private readonly RpcConnection _connection;
    private readonly ExportedObject _target;
    private readonly ulong _streamId;
    private readonly IAsyncEnumerable<T> _items;
    private readonly CancellationTokenSource _cancellation = new();
    private IAsyncEnumerator<T>? _enumerator;
    private int _credit;
    private int _scheduled;
    private int _finished;

    // As for IncomingCall: who resumes the queue after an asynchronous step.
    private int _asyncHandoff;

    public StreamProducer(RpcConnection connection, ExportedObject target, ulong streamId, IAsyncEnumerable<T> items)
    {
        _connection = connection;
        _target = target;
        _streamId = streamId;
        _items = items;
    }

    public override void AddCredit(int credit)
    {
        Interlocked.Add(ref _credit, credit);
        TrySchedule();
    }

    public override void Cancel()
    {
        if (Volatile.Read(ref _finished) != 0)
        {
            return;
        }

        try
        {
            _ = _cancellation.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // Finished meanwhile.
            return;
        }

        // A producer waiting for credit has no step scheduled: one is needed to dispose its enumerator.
        Interlocked.Add(ref _credit, 1);
        TrySchedule();
    }

    void IThreadPoolWorkItem.Execute() => Run();

    public bool Run()
    {
        Volatile.Write(ref _scheduled, 0);
        if (Volatile.Read(ref _finished) != 0)
        {
            return true;
        }

        if (_cancellation.IsCancellationRequested)
        {
            FinishAsync(null, sendEnd: false);
            return true;
        }

        ValueTask<bool> moveNext;
        try
        {
            _enumerator ??= _items.GetAsyncEnumerator(_cancellation.Token);
            moveNext = _enumerator.MoveNextAsync();
        }
#pragma warning disable CA1031 // The producer's exception ends the stream and is handed to the consumer.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            FinishAsync(ex, sendEnd: true);
            return true;
        }

        if (moveNext.IsCompleted)
        {
            Step(moveNext);
            return true;
        }

        _asyncHandoff = 0;
        StepLater(moveNext);
        return Interlocked.Exchange(ref _asyncHandoff, 1) != 0;
    }

    private async void StepLater(ValueTask<bool> moveNext)
    {
        try
        {
            await moveNext.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Observed again by Step, which reports it.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        Step(moveNext);
        if (Interlocked.Exchange(ref _asyncHandoff, 2) == 1)
        {
            _target.Queue?.Resume();
        }
    }

    private void Step(ValueTask<bool> moveNext)
    {
        bool hasItem;
        try
        {
            hasItem = moveNext.GetAwaiter().GetResult();
        }
#pragma warning disable CA1031 // The producer's exception ends the stream and is handed to the consumer.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            FinishAsync(ex, sendEnd: !_cancellation.IsCancellationRequested);
            return;
        }

        if (!hasItem)
        {
            FinishAsync(null, sendEnd: true);
            return;
        }

        if (!_connection.TrySendStreamItem(_streamId, _enumerator!.Current))
        {
            FinishAsync(null, sendEnd: false);
            return;
        }

        Interlocked.Decrement(ref _credit);
        TrySchedule();
    }

    private void TrySchedule()
    {
        if (Volatile.Read(ref _credit) > 0 && Volatile.Read(ref _finished) == 0 && Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            _target.Schedule(this);
        }
    }

    private void FinishAsync(Exception? failure, bool sendEnd)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return;
        }

        _connection.RemoveProducer(_streamId);
        if (sendEnd)
        {
            _connection.SendStreamEnd(_streamId, failure);
        }

        var enumerator = _enumerator;
        if (enumerator is not null)
        {
            // Disposal may be asynchronous; its failure has nobody to go to but the unobserved report.
            _ = DisposeEnumeratorAsync(enumerator);
        }

        _cancellation.Dispose();
    }

    private static async Task DisposeEnumeratorAsync(IAsyncEnumerator<T> enumerator)
    {
        try
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Reported, never thrown into the connection.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            UnobservedExceptions.Report(ex, "a remote stream's enumerator");
        }
    }
}
