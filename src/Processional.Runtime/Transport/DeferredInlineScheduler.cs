using System.IO.Pipelines;

namespace Processional.Transport;

/// <summary>
/// Runs continuations on the thread pool until <see cref="RunInline"/> is called, and inline from then on. A
/// connection's input is read by the handshake first, whose continuations lead back into user code (the code after
/// <c>await ConnectAsync</c>) and so must not run on the receiving thread; then by the multiplexer, whose reading loop
/// is meant to run right there, where the bytes arrive.
/// </summary>
internal sealed class DeferredInlineScheduler : PipeScheduler
{
    private volatile bool _inline;

    /// <summary>From now on, continuations run on the thread that completes the operation.</summary>
    public void RunInline() => _inline = true;

    public override void Schedule(Action<object?> action, object? state)
    {
        if (_inline)
        {
            action(state);
        }
        else
        {
            ThreadPool.Schedule(action, state);
        }
    }
}
