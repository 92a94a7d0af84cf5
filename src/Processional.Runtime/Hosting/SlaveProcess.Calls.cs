using System.ComponentModel;
using Processional.Hosting;
using Processional.Rpc;

namespace Processional;

/// <summary>Sending lambdas to the slave.</summary>
public sealed partial class SlaveProcess
{
    /// <summary>Runs <paramref name="func"/> in the slave, on its main thread after the calls sent before, and returns its value.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="func">A lambda written at the call: its captured variables travel with it, by value.</param>
    /// <param name="cancellationToken">Cancels the call: it never runs if it had not started; <see cref="RemoteCall.CancellationToken"/> tells a running one.</param>
    /// <returns>The value, copied back.</returns>
    public T Invoke<T>(Func<T> func, CancellationToken cancellationToken = default) => CallLambda<T>(LambdaOf(func), func, cancellationToken);

    /// <summary>Runs <paramref name="action"/> in the slave, on its main thread after the calls sent before, and waits for it.</summary>
    /// <param name="action">A lambda written at the call: its captured variables travel with it, by value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public void Invoke(Action action, CancellationToken cancellationToken = default) => CallLambda(LambdaOf(action), action, cancellationToken);

    /// <summary>Queues <paramref name="func"/> to run in the slave, on its main thread, and returns a task of its value at once.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="func">A lambda written at the call: its captured variables travel with it, by value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task of the value.</returns>
    public Task<T> InvokeAsync<T>(Func<T> func, CancellationToken cancellationToken = default) => CallLambdaAsync<T>(LambdaOf(func), func, cancellationToken);

    /// <summary>Queues the <c>async</c> lambda <paramref name="func"/> to run in the slave (awaited there, on its main thread) and returns a task of its value.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="func">A lambda written at the call: its captured variables travel with it, by value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task of the value.</returns>
    public Task<T> InvokeAsync<T>(Func<Task<T>> func, CancellationToken cancellationToken = default) => CallLambdaAsync<T>(LambdaOf(func), func, cancellationToken);

    /// <summary>Queues <paramref name="action"/> to run in the slave, on its main thread, and returns a task at once.</summary>
    /// <param name="action">A lambda written at the call: its captured variables travel with it, by value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the lambda ran.</returns>
    public Task InvokeAsync(Action action, CancellationToken cancellationToken = default) => CallLambdaAsync(LambdaOf(action), action, cancellationToken);

    /// <summary>Queues the <c>async</c> lambda <paramref name="func"/> to run in the slave (awaited there) and returns a task at once.</summary>
    /// <param name="func">A lambda written at the call: its captured variables travel with it, by value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the lambda's task did.</returns>
    public Task InvokeAsync(Func<Task> func, CancellationToken cancellationToken = default) => CallLambdaAsync(LambdaOf(func), func, cancellationToken);

    /// <summary>Runs <paramref name="func"/> in the slave and keeps its result there: returns a handle to it.</summary>
    /// <typeparam name="T">The type of the object.</typeparam>
    /// <param name="func">A lambda written at the call that builds the object.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A handle; <c>handle.Value</c> works inside lambdas sent to this slave.</returns>
    public Task<Remote<T>> WrapAsync<T>(Func<T> func, CancellationToken cancellationToken = default) => WrapLambdaAsync<T>(LambdaOf(func), func, cancellationToken);

    /// <summary>Runs <paramref name="factory"/> in the slave and returns a proxy of the object it builds, through a [Remote] interface.</summary>
    /// <typeparam name="TInterface">A [Remote] interface.</typeparam>
    /// <param name="factory">A lambda written at the call that builds the object.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A proxy; its calls run on the slave's main thread; disposing it releases the object.</returns>
    public Task<TInterface> CreateAsync<TInterface>(Func<TInterface> factory, CancellationToken cancellationToken = default)
        where TInterface : class => CreateLambdaAsync<TInterface>(LambdaOf(factory), factory, cancellationToken);

    /// <summary>Runs <paramref name="func"/> in the slave on a thread of its own, concurrently with the calls on its main thread.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="func">A lambda written at the call: its captured variables travel with it, by value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task of the value.</returns>
    public Task<T> RunThreadAsync<T>(Func<T> func, CancellationToken cancellationToken = default) => RunThreadLambdaAsync<T>(LambdaOf(func), func, cancellationToken);

    /// <summary>Runs <paramref name="action"/> in the slave on a thread of its own, concurrently with the calls on its main thread.</summary>
    /// <param name="action">A lambda written at the call: its captured variables travel with it, by value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the lambda ran.</returns>
    public Task RunThreadAsync(Action action, CancellationToken cancellationToken = default) => RunThreadLambdaAsync(LambdaOf(action), action, cancellationToken);

    /// <summary>Runs an intercepted lambda on the slave's main thread and returns its value. Called by generated interceptors.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="lambda">The call site's lambda.</param>
    /// <param name="func">The caller's delegate (its captured state).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The value.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public T CallLambda<T>(RemoteLambda lambda, Delegate func, CancellationToken cancellationToken) =>
        BeginLambdaCall(SlaveControl.MainId, lambda, func, cancellationToken).Send<T>();

    /// <summary>Runs an intercepted lambda on the slave's main thread and waits for it. Called by generated interceptors.</summary>
    /// <param name="lambda">The call site's lambda.</param>
    /// <param name="func">The caller's delegate (its captured state).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void CallLambda(RemoteLambda lambda, Delegate func, CancellationToken cancellationToken) =>
        BeginLambdaCall(SlaveControl.MainId, lambda, func, cancellationToken).Send();

    /// <summary>Queues an intercepted lambda on the slave's main thread. Called by generated interceptors.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="lambda">The call site's lambda.</param>
    /// <param name="func">The caller's delegate (its captured state).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task of the value.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Task<T> CallLambdaAsync<T>(RemoteLambda lambda, Delegate func, CancellationToken cancellationToken) =>
        BeginLambdaCall(SlaveControl.MainId, lambda, func, cancellationToken).SendAsync<T>().AsTask();

    /// <summary>Queues an intercepted lambda on the slave's main thread. Called by generated interceptors.</summary>
    /// <param name="lambda">The call site's lambda.</param>
    /// <param name="func">The caller's delegate (its captured state).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the lambda ran.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Task CallLambdaAsync(RemoteLambda lambda, Delegate func, CancellationToken cancellationToken) =>
        BeginLambdaCall(SlaveControl.MainId, lambda, func, cancellationToken).SendAsync().AsTask();

    /// <summary>Runs an intercepted lambda and keeps its result in the slave. Called by generated interceptors.</summary>
    /// <typeparam name="T">The type of the object.</typeparam>
    /// <param name="lambda">The call site's lambda.</param>
    /// <param name="func">The caller's delegate (its captured state).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A handle to the object.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public async Task<Remote<T>> WrapLambdaAsync<T>(RemoteLambda lambda, Delegate func, CancellationToken cancellationToken) =>
        await BeginLambdaCall(SlaveControl.MainId, lambda, func, cancellationToken).SendHandleAsync<T>().ConfigureAwait(false)
        ?? throw new InvalidOperationException("The slave kept no object.");

    /// <summary>Runs an intercepted lambda that builds an object and returns a proxy of it. Called by generated interceptors.</summary>
    /// <typeparam name="TInterface">A [Remote] interface.</typeparam>
    /// <param name="lambda">The call site's lambda.</param>
    /// <param name="func">The caller's delegate (its captured state).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A proxy of the object.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public async Task<TInterface> CreateLambdaAsync<TInterface>(RemoteLambda lambda, Delegate func, CancellationToken cancellationToken)
        where TInterface : class =>
        await BeginLambdaCall(SlaveControl.MainId, lambda, func, cancellationToken).SendRemoteAsync<TInterface>().ConfigureAwait(false)
        ?? throw new InvalidOperationException("The factory returned null.");

    /// <summary>Runs an intercepted lambda on a thread of its own in the slave. Called by generated interceptors.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="lambda">The call site's lambda.</param>
    /// <param name="func">The caller's delegate (its captured state).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task of the value.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Task<T> RunThreadLambdaAsync<T>(RemoteLambda lambda, Delegate func, CancellationToken cancellationToken) =>
        BeginLambdaCall(SlaveControl.ThreadsId, lambda, func, cancellationToken).SendAsync<T>().AsTask();

    /// <summary>Runs an intercepted lambda on a thread of its own in the slave. Called by generated interceptors.</summary>
    /// <param name="lambda">The call site's lambda.</param>
    /// <param name="func">The caller's delegate (its captured state).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the lambda ran.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Task RunThreadLambdaAsync(RemoteLambda lambda, Delegate func, CancellationToken cancellationToken) =>
        BeginLambdaCall(SlaveControl.ThreadsId, lambda, func, cancellationToken).SendAsync().AsTask();

    private RpcCall BeginLambdaCall(ulong objectId, RemoteLambda lambda, Delegate func, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lambda);
        ArgumentNullException.ThrowIfNull(func);
        ThrowIfDisposed();
        var call = _core.Rpc.BeginCall(objectId, SlaveControl.Invoke, cancellationToken);
        var method = func.Method;
        call.Writer.WriteUnmanaged(lambda.Id);
        call.Writer.WriteUnmanaged(method.Module.ModuleVersionId);
        call.Writer.WriteUnmanaged(method.MetadataToken);
        lambda.WriteCaptures(ref call, LambdaClosure.Of(lambda, func));
        return call;
    }

    /// <summary>
    /// The lambda of a delegate the generator did not see at this call: one passed through a parameter marked
    /// [Remote] carries it; any other is refused, so that no code ever runs in the wrong process.
    /// </summary>
    private static RemoteLambda LambdaOf(Delegate func)
    {
        ArgumentNullException.ThrowIfNull(func);
        return RemoteLambdaRegistry.Attached(func) ?? throw new NotSupportedException(
            $"This {func.GetType().Name} ({func.Method.Name}) reached a slave without Processional's source generator seeing where it was written, " +
            "so its captured variables cannot be shipped. Write the lambda directly in the call (slave.Invoke(() => ...)), " +
            "or pass it through a parameter marked [Remote] from the place it is written, and make sure the generator runs on that project " +
            "(it needs <InterceptorsNamespaces> to include Processional.Generated).");
    }
}
