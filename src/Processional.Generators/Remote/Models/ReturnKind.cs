namespace Processional.Generators.Remote.Models;

/// <summary>What a [Remote] member returns, which decides how the proxy sends the call and how the dispatcher completes it.</summary>
internal enum ReturnKind
{
    /// <summary><c>void</c>: the call blocks until the remote method returned (or is sent one way).</summary>
    Void,

    /// <summary>A plain value <c>T</c>: the call blocks until the result arrives.</summary>
    Value,

    /// <summary><c>Task</c>.</summary>
    Task,

    /// <summary><c>Task&lt;T&gt;</c>.</summary>
    TaskOfValue,

    /// <summary><c>ValueTask</c>.</summary>
    ValueTask,

    /// <summary><c>ValueTask&lt;T&gt;</c>.</summary>
    ValueTaskOfValue,

    /// <summary><c>IAsyncEnumerable&lt;T&gt;</c>: the items are streamed as the caller consumes them.</summary>
    Stream,
}
