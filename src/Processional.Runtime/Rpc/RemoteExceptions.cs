using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Processional.Serialization;

namespace Processional.Rpc;

/// <summary>
/// Turns an exception captured in another process back into an exception here. A remote exception is re-created with
/// its own type only when that type is registered here (the common framework exceptions are; generated code registers
/// the exception types of the program, which both ends share); otherwise it becomes a <see cref="RemoteException"/>
/// carrying the remote type's name. No type named on the wire is ever looked up or instantiated by reflection. The
/// remote stack trace is attached with <see cref="ExceptionDispatchInfo.SetRemoteStackTrace"/>, so it shows before
/// the local one.
/// </summary>
public static class RemoteExceptions
{
    private static readonly ConcurrentDictionary<string, Func<string, Exception?, Exception>> s_factories = new(StringComparer.Ordinal);

    static RemoteExceptions()
    {
        Add<Exception>((m, i) => new Exception(m, i));
        Add<InvalidOperationException>((m, i) => new InvalidOperationException(m, i));
        Add<ArgumentException>((m, i) => new ArgumentException(m, i));
        Add<ArgumentNullException>((m, i) => new ArgumentNullException(m, i));
        Add<ArgumentOutOfRangeException>((m, i) => new ArgumentOutOfRangeException(m, i));
        Add<NotSupportedException>((m, i) => new NotSupportedException(m, i));
        Add<NotImplementedException>((m, i) => new NotImplementedException(m, i));
        Add<FormatException>((m, i) => new FormatException(m, i));
        Add<KeyNotFoundException>((m, i) => new KeyNotFoundException(m, i));
        Add<IndexOutOfRangeException>((m, i) => new IndexOutOfRangeException(m, i));
        Add<InvalidCastException>((m, i) => new InvalidCastException(m, i));
        Add<NullReferenceException>((m, i) => new NullReferenceException(m, i));
        Add<ArithmeticException>((m, i) => new ArithmeticException(m, i));
        Add<DivideByZeroException>((m, i) => new DivideByZeroException(m, i));
        Add<OverflowException>((m, i) => new OverflowException(m, i));
        Add<TimeoutException>((m, i) => new TimeoutException(m, i));
        Add<OperationCanceledException>((m, i) => new OperationCanceledException(m, i));
        Add<TaskCanceledException>((m, i) => new TaskCanceledException(m, i));
        Add<ObjectDisposedException>((m, i) => new ObjectDisposedException(m, i));
        Add<IOException>((m, i) => new IOException(m, i));
        Add<FileNotFoundException>((m, i) => new FileNotFoundException(m, i));
        Add<DirectoryNotFoundException>((m, i) => new DirectoryNotFoundException(m, i));
        Add<EndOfStreamException>((m, i) => new EndOfStreamException(m, i));
        Add<UnauthorizedAccessException>((m, i) => new UnauthorizedAccessException(m, i));
        Add<ApplicationException>((m, i) => new ApplicationException(m, i));
        Add<AggregateException>((m, i) => i is null ? new AggregateException(m) : new AggregateException(m, i));
        Add<ProcessionalSerializationException>((m, i) => new ProcessionalSerializationException(m, i));
    }

    /// <summary>
    /// Registers <typeparamref name="TException"/> so that it is re-created with its own type when it comes from
    /// another process. Generated code calls this for the exception types of the program.
    /// </summary>
    /// <typeparam name="TException">The exception type.</typeparam>
    /// <param name="create">Creates the exception from its message and its (already converted) inner exception.</param>
    public static void Register<TException>(Func<string, Exception?, TException> create)
        where TException : Exception
    {
        ArgumentNullException.ThrowIfNull(create);
        s_factories[typeof(TException).FullName!] = create;
    }

    /// <summary>Re-creates the exception described by <paramref name="info"/>, with its remote stack trace.</summary>
    /// <param name="info">What was captured remotely.</param>
    /// <returns>The exception, ready to be thrown.</returns>
    public static Exception Create(RemoteExceptionInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var inner = info.InnerExceptions.Count switch
        {
            0 => null,
            1 => Create(info.InnerExceptions[0]),
            _ => new AggregateException(info.InnerExceptions.Select(Create)),
        };

        Exception exception;
        if (info.TypeName is { } name && s_factories.TryGetValue(name, out var factory))
        {
            try
            {
                exception = factory(info.Message, inner);
            }
#pragma warning disable CA1031 // A faulty factory must not hide the remote failure.
            catch (Exception)
#pragma warning restore CA1031
            {
                exception = new RemoteException(info, inner);
            }
        }
        else
        {
            exception = new RemoteException(info, inner);
        }

        exception.HResult = info.HResult;
        foreach (var (key, value) in info.Data)
        {
            try
            {
                exception.Data[key] = value;
            }
#pragma warning disable CA1031 // Data an exception type refuses is dropped, not fatal.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        if (!string.IsNullOrEmpty(info.StackTrace))
        {
            ExceptionDispatchInfo.SetRemoteStackTrace(exception, info.StackTrace);
        }

        return exception;
    }

    private static void Add<TException>(Func<string, Exception?, TException> create)
        where TException : Exception => s_factories[typeof(TException).FullName!] = create;
}
