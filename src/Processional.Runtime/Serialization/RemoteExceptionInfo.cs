using System.Collections;
using System.Text;

namespace Processional.Serialization;

/// <summary>
/// What an exception says, in a form that crosses a process boundary: its type's full name, message, stack trace,
/// HRESULT, <see cref="Exception.Data"/> entries and inner exceptions. It carries the type only as a name: reading one
/// never creates an instance of a type named in the input (deciding what to throw on the receiving side is the
/// caller's business, against types it knows).
/// </summary>
/// <remarks>
/// <para>
/// Wire form: an object of 6 members — <see cref="TypeName"/>, <see cref="Message"/>, <see cref="StackTrace"/> (strings),
/// <see cref="HResult"/> (<see cref="int"/>), <see cref="InnerExceptions"/> (a collection of these objects) and
/// <see cref="Data"/> (a collection of key/value pairs, each key and value a union whose tag is the value's
/// <see cref="TypeCode"/>: a string or a primitive, or <c>255</c> for a null value). Nesting counts against
/// <see cref="ProcessionalSerializerOptions.MaxDepth"/> when read.
/// </para>
/// </remarks>
public sealed class RemoteExceptionInfo
{
    /// <summary>How many levels of inner exceptions <see cref="Capture(Exception)"/> keeps; deeper ones are dropped.</summary>
    public const int DefaultMaxInnerDepth = 32;

    /// <summary>The full name of the exception's type, for example <c>System.InvalidOperationException</c>.</summary>
    public required string TypeName { get; init; }

    /// <summary>The exception's message.</summary>
    public string Message { get; init; } = string.Empty;

    /// <summary>The stack trace where it was thrown, or <see langword="null"/> when it was never thrown.</summary>
    public string? StackTrace { get; init; }

    /// <summary>The exception's HRESULT.</summary>
    public int HResult { get; init; }

    /// <summary>
    /// The inner exceptions: all of an <see cref="AggregateException"/>'s, otherwise the one
    /// <see cref="Exception.InnerException"/> if any.
    /// </summary>
    public IReadOnlyList<RemoteExceptionInfo> InnerExceptions { get; init; } = [];

    /// <summary>
    /// The entries of <see cref="Exception.Data"/>. Keys and values that are strings or primitives (<see cref="bool"/>,
    /// <see cref="char"/>, the integer types, <see cref="float"/>, <see cref="double"/>, <see cref="decimal"/>,
    /// <see cref="DateTime"/>) keep their type; any other key or value is replaced by its <see cref="object.ToString"/>
    /// (when captured, or when written if set by hand). Values may be <see langword="null"/>; keys may not.
    /// </summary>
    public IReadOnlyList<KeyValuePair<object, object?>> Data { get; init; } = [];

    /// <summary>Captures <paramref name="exception"/> and up to <see cref="DefaultMaxInnerDepth"/> levels of inner exceptions.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>What it says.</returns>
    public static RemoteExceptionInfo Capture(Exception exception) => Capture(exception, DefaultMaxInnerDepth);

    /// <summary>
    /// Captures <paramref name="exception"/> and up to <paramref name="maxInnerDepth"/> levels of inner exceptions.
    /// Members that throw when read (an overridden <see cref="Exception.Message"/>, a <see cref="object.ToString"/> of
    /// a data value) are replaced by a note saying so, so that capturing never throws.
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <param name="maxInnerDepth">How many levels of inner exceptions to keep (0 keeps none).</param>
    /// <returns>What it says.</returns>
    public static RemoteExceptionInfo Capture(Exception exception, int maxInnerDepth)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentOutOfRangeException.ThrowIfNegative(maxInnerDepth);
        return CaptureCore(exception, maxInnerDepth);
    }

    /// <summary>Formats the exception like <see cref="Exception.ToString"/>: type, message, inner exceptions, stack trace.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        Append(text, this);
        return text.ToString();
    }

    /// <summary>Turns a key or value into one that travels: strings and primitives as they are, anything else as its text.</summary>
    internal static object? ToTransportable(object? value)
    {
        switch (value)
        {
            case null:
            case string:
            case bool:
            case char:
            case sbyte:
            case byte:
            case short:
            case ushort:
            case int:
            case uint:
            case long:
            case ulong:
            case float:
            case double:
            case decimal:
            case DateTime:
                return value;
            default:
                try
                {
                    return value.ToString() ?? value.GetType().FullName;
                }
#pragma warning disable CA1031 // A failing ToString must not make capturing an exception throw.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    return $"({value.GetType().FullName}.ToString() threw {ex.GetType().FullName})";
                }
        }
    }

    private static RemoteExceptionInfo CaptureCore(Exception exception, int remainingDepth)
    {
        var inner = new List<RemoteExceptionInfo>();
        if (remainingDepth > 0)
        {
            if (exception is AggregateException aggregate)
            {
                foreach (var item in aggregate.InnerExceptions)
                {
                    inner.Add(CaptureCore(item, remainingDepth - 1));
                }
            }
            else if (exception.InnerException is { } single)
            {
                inner.Add(CaptureCore(single, remainingDepth - 1));
            }
        }

        var type = exception.GetType();
        return new RemoteExceptionInfo
        {
            TypeName = type.FullName ?? type.Name,
            Message = Read(exception, static e => e.Message) ?? string.Empty,
            StackTrace = Read(exception, static e => e.StackTrace),
            HResult = exception.HResult,
            InnerExceptions = inner,
            Data = CaptureData(exception),
        };
    }

    private static List<KeyValuePair<object, object?>> CaptureData(Exception exception)
    {
        var entries = new List<KeyValuePair<object, object?>>();
        try
        {
            if (exception.Data is { Count: > 0 } data)
            {
                foreach (DictionaryEntry entry in data)
                {
                    entries.Add(new(ToTransportable(entry.Key)!, ToTransportable(entry.Value)));
                }
            }
        }
#pragma warning disable CA1031 // An exception type whose Data throws still gets captured, without its data.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            entries.Add(new("Processional.DataCaptureFailed", ex.GetType().FullName));
        }

        return entries;
    }

    private static string? Read(Exception exception, Func<Exception, string?> member)
    {
        try
        {
            return member(exception);
        }
#pragma warning disable CA1031 // An overridden member that throws must not make capturing throw.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return $"(reading it threw {ex.GetType().FullName})";
        }
    }

    private static void Append(StringBuilder text, RemoteExceptionInfo info)
    {
        text.Append(info.TypeName);
        if (info.Message.Length > 0)
        {
            text.Append(": ").Append(info.Message);
        }

        foreach (var inner in info.InnerExceptions)
        {
            text.Append(" ---> ");
            Append(text, inner);
            text.AppendLine().Append("   --- End of inner exception stack trace ---");
        }

        if (info.StackTrace is { Length: > 0 })
        {
            text.AppendLine().Append(info.StackTrace);
        }
    }
}
