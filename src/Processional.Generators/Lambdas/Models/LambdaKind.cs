namespace Processional.Generators.Lambdas.Models;

/// <summary>What an intercepted call does with its lambda, which decides the runtime method the interceptor calls and how the slave completes the call.</summary>
internal enum LambdaKind
{
    /// <summary><c>Invoke&lt;T&gt;(Func&lt;T&gt;)</c>: blocks for the value.</summary>
    Invoke,

    /// <summary><c>Invoke(Action)</c>: blocks until it ran.</summary>
    InvokeAction,

    /// <summary><c>InvokeAsync&lt;T&gt;(Func&lt;T&gt;)</c>.</summary>
    InvokeAsync,

    /// <summary><c>InvokeAsync&lt;T&gt;(Func&lt;Task&lt;T&gt;&gt;)</c>: awaited in the slave.</summary>
    InvokeAsyncTaskOfT,

    /// <summary><c>InvokeAsync(Action)</c>.</summary>
    InvokeAsyncAction,

    /// <summary><c>InvokeAsync(Func&lt;Task&gt;)</c>: awaited in the slave.</summary>
    InvokeAsyncTask,

    /// <summary><c>WrapAsync&lt;T&gt;(Func&lt;T&gt;)</c>: the result stays in the slave.</summary>
    Wrap,

    /// <summary><c>CreateAsync&lt;TInterface&gt;(Func&lt;TInterface&gt;)</c>: a proxy of the object built in the slave.</summary>
    Create,

    /// <summary><c>RunThreadAsync&lt;T&gt;(Func&lt;T&gt;)</c>: on a thread of its own in the slave.</summary>
    RunThread,

    /// <summary><c>RunThreadAsync(Action)</c>.</summary>
    RunThreadAction,

    /// <summary>A lambda passed to a delegate parameter marked <c>[Remote]</c> of any method: attached to its delegate.</summary>
    RemoteParameter,
}
