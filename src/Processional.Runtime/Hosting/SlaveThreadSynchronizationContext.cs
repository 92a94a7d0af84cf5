namespace Processional;

/// <summary>
/// Installed on a slave thread (and on the owner thread while it pumps), so that the continuations of <c>async</c>
/// work come back to the slave thread and objects created there are only ever touched there.
/// </summary>
internal sealed class SlaveThreadSynchronizationContext : SynchronizationContext
{
    private readonly SlaveThreadCore _core;

    internal SlaveThreadSynchronizationContext(SlaveThreadCore core)
    {
        _core = core;
    }

    /// <inheritdoc/>
    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (!_core.TryEnqueue(new SlavePostItem(d, state, _core.Source), acceptWhileStopping: true))
        {
            // The slave thread has exited: a continuation must still run rather than leave its task hanging for ever.
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.d(s.state), (d, state), preferLocal: false);
        }
    }

    /// <inheritdoc/>
    public override void Send(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (_core.IsCurrentThread)
        {
            d(state);
        }
        else
        {
            SlaveSyncActionItem.Invoke(_core, () => d(state), CancellationToken.None);
        }
    }

    /// <inheritdoc/>
    public override void OperationStarted() => _core.BeginAsyncOperation();

    /// <inheritdoc/>
    public override void OperationCompleted() => _core.EndAsyncOperation();

    /// <inheritdoc/>
    public override SynchronizationContext CreateCopy() => this;
}
