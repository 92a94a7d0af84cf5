using System.Diagnostics.CodeAnalysis;
using Processional.Serialization;

namespace Processional.Rpc;

/// <summary>
/// A call to an exposed object, as a generated dispatcher sees it: the method id, a reader over the arguments, the
/// cancellation token, and the methods that hand the method's outcome back to the caller.
/// </summary>
public ref struct RpcRequest
{
    /// <summary>Reads the arguments, in declaration order.</summary>
    [SuppressMessage("Design", "CA1051", Justification = "A mutable ref struct field: generated code reads through it without copies.")]
    public ProcessionalReader Reader;

    private readonly IncomingCall _call;

    internal RpcRequest(IncomingCall call, ProcessionalReader reader)
    {
        _call = call;
        Reader = reader;
    }

    /// <summary>The stable id of the method called.</summary>
    public readonly uint MethodId => _call.MethodId;

    /// <summary>Canceled when the caller cancels the call or the connection is lost.</summary>
    public readonly CancellationToken CancellationToken => _call.CancellationToken;

    /// <summary>Reads an argument that is an object of a [Remote] interface: a proxy of the caller's object, or this side's own object.</summary>
    /// <typeparam name="T">The [Remote] interface.</typeparam>
    /// <returns>The object, or <see langword="null"/>.</returns>
    public T? ReadRemote<T>()
        where T : class => _call.Connection.ReadObjectReference<T>(ref Reader);

    /// <summary>Reads a handle (a captured <see cref="Remote{T}"/>): the object itself when this side owns it.</summary>
    /// <typeparam name="T">The type of the object.</typeparam>
    /// <returns>The handle, or <see langword="null"/>.</returns>
    public Remote<T>? ReadHandle<T>() => _call.Connection.ReadHandle<T>(ref Reader);

    /// <summary>Completes a call by keeping <paramref name="value"/> here: the caller receives a handle to it.</summary>
    /// <typeparam name="T">The type of the object.</typeparam>
    /// <param name="value">The object to keep.</param>
    public readonly void CompleteWrapped<T>(T value)
    {
        if (value is null)
        {
            throw new InvalidOperationException($"The lambda returned null: there is no {typeof(T).Name} to keep.");
        }

        _call.RespondHandle(_call.Connection.ExportValue(value));
    }

    /// <summary>Completes a call with the value of the object this side keeps as <paramref name="id"/> (a handle's FetchAsync).</summary>
    /// <param name="id">The kept object's id.</param>
    internal readonly void CompleteExportedValue(ulong id) => _call.RespondExportedValue(id);

    /// <summary>The connection the request came in on.</summary>
    internal readonly RpcConnection Connection => _call.Connection;

    /// <summary>Reads an <see cref="IProgress{T}"/> argument: reports made through it reach the caller's, in order.</summary>
    /// <typeparam name="T">The type of progress value.</typeparam>
    /// <returns>A progress that sends reports to the caller, or <see langword="null"/> when the caller passed none.</returns>
    public IProgress<T>? ReadProgress<T>()
    {
        var index = Reader.ReadByte();
        return index == RpcCall.NoProgress ? null : new RemoteProgress<T>(_call.Connection, _call.CallId, index);
    }

    /// <summary>
    /// Signals that every argument was read, so that their buffer goes back to the pool before the method runs.
    /// Optional.
    /// </summary>
    public readonly void EndArguments() => _call.ReleaseArguments();

    /// <summary>Completes a method that returned nothing.</summary>
    public readonly void Complete() => _call.Respond<VoidResult>(default);

    /// <summary>Completes a method that returned <paramref name="value"/>.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="value">The result.</param>
    public readonly void Complete<T>(T? value) => _call.Respond(value);

    /// <summary>Completes a method that returned a [Remote] interface's object: the caller receives a proxy of it.</summary>
    /// <typeparam name="T">The [Remote] interface.</typeparam>
    /// <param name="value">The object.</param>
    public readonly void CompleteRemote<T>(T? value)
        where T : class => _call.RespondRemote(value);

    /// <summary>Completes a method that returned a task.</summary>
    /// <param name="task">The task.</param>
    public readonly void Complete(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.IsCompleted)
        {
            task.GetAwaiter().GetResult();
            Complete();
        }
        else
        {
            _call.CompleteLater(task);
        }
    }

    /// <summary>Completes a method that returned a task of a value.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="task">The task.</param>
    public readonly void Complete<T>(Task<T> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.IsCompleted)
        {
            _call.Respond(task.GetAwaiter().GetResult());
        }
        else
        {
            _call.CompleteLater(task, RpcResultWriter<T>.Default);
        }
    }

    /// <summary>Completes a method that returned a value task.</summary>
    /// <param name="task">The task.</param>
    public readonly void Complete(ValueTask task)
    {
        if (task.IsCompleted)
        {
            task.GetAwaiter().GetResult();
            Complete();
        }
        else
        {
            _call.CompleteLater(task);
        }
    }

    /// <summary>Completes a method that returned a value task of a value.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="task">The task.</param>
    public readonly void Complete<T>(ValueTask<T> task)
    {
        if (task.IsCompleted)
        {
            _call.Respond(task.GetAwaiter().GetResult());
        }
        else
        {
            _call.CompleteLater(task, RpcResultWriter<T>.Default);
        }
    }

    /// <summary>Completes a method that returned a task of a [Remote] interface's object.</summary>
    /// <typeparam name="T">The [Remote] interface.</typeparam>
    /// <param name="task">The task.</param>
    public readonly void CompleteRemote<T>(Task<T?> task)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.IsCompleted)
        {
            _call.RespondRemote(task.GetAwaiter().GetResult());
        }
        else
        {
            _call.CompleteLater(task!, RemoteResultWriter<T>.Instance);
        }
    }

    /// <summary>Completes a method that returned a value task of a [Remote] interface's object.</summary>
    /// <typeparam name="T">The [Remote] interface.</typeparam>
    /// <param name="task">The task.</param>
    public readonly void CompleteRemote<T>(ValueTask<T?> task)
        where T : class
    {
        if (task.IsCompleted)
        {
            _call.RespondRemote(task.GetAwaiter().GetResult());
        }
        else
        {
            _call.CompleteLater(task!, RemoteResultWriter<T>.Instance);
        }
    }

    /// <summary>Completes a method that returned a stream: its items are sent as the caller consumes them.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">The stream.</param>
    public readonly void CompleteStream<T>(IAsyncEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _call.StartStream(items);
    }
}
