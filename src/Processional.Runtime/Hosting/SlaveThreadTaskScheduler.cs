namespace Processional;

/// <summary>Runs tasks on a slave thread, in the same first-in first-out queue as its other work.</summary>
internal sealed class SlaveThreadTaskScheduler : TaskScheduler
{
    private readonly SlaveThreadCore _core;

    internal SlaveThreadTaskScheduler(SlaveThreadCore core) => _core = core;

    /// <inheritdoc/>
    public override int MaximumConcurrencyLevel => 1;

    internal void Execute(Task task) => TryExecuteTask(task);

    /// <inheritdoc/>
    protected override void QueueTask(Task task) => _core.EnqueueOrThrow(task);

    /// <inheritdoc/>
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        // Inlining on the slave thread keeps a Wait() there from dead-locking; a queued task keeps its place in line.
        !taskWasPreviouslyQueued && _core.IsCurrentThread && TryExecuteTask(task);

    /// <inheritdoc/>
    protected override IEnumerable<Task> GetScheduledTasks() => _core.QueuedItems.OfType<Task>().ToArray();
}
