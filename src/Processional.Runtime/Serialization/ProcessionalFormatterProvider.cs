using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Processional.Serialization.Formatters;

namespace Processional.Serialization;

/// <summary>
/// The registry of formatters. Generated code registers a formatter for each user type from a
/// <see cref="ModuleInitializerAttribute">module initializer</see>; built-in types resolve on first use. No type is
/// ever discovered by scanning assemblies, and no type name is ever read from the wire.
/// </summary>
public static class ProcessionalFormatterProvider
{
    private static readonly Lock s_resolveLock = new();

    /// <summary>Registers <paramref name="formatter"/> for <typeparamref name="T"/>, replacing any previous one.</summary>
    /// <typeparam name="T">The type the formatter writes and reads.</typeparam>
    /// <param name="formatter">The formatter.</param>
    public static void Register<T>(ProcessionalFormatter<T> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Cache<T>.Formatter = formatter;
    }

    /// <summary>Registers <paramref name="formatter"/> for <typeparamref name="T"/> unless one is already registered.</summary>
    /// <typeparam name="T">The type the formatter writes and reads.</typeparam>
    /// <param name="formatter">The formatter.</param>
    /// <returns><see langword="true"/> when it was registered.</returns>
    public static bool TryRegister<T>(ProcessionalFormatter<T> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        return Interlocked.CompareExchange(ref Cache<T>.Formatter, formatter, null) is null;
    }

    /// <summary>Whether a formatter for <typeparamref name="T"/> is registered or built in.</summary>
    /// <typeparam name="T">The type.</typeparam>
    /// <returns><see langword="true"/> when <see cref="GetFormatter{T}"/> succeeds.</returns>
    public static bool IsRegistered<T>() => Cache<T>.Formatter is not null || TryResolve<T>() is not null;

    /// <summary>Gets the formatter for <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The type.</typeparam>
    /// <returns>The formatter.</returns>
    /// <exception cref="ProcessionalSerializationException">No formatter is registered or built in for <typeparamref name="T"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ProcessionalFormatter<T> GetFormatter<T>() => Cache<T>.Formatter ?? Resolve<T>();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ProcessionalFormatter<T> Resolve<T>()
    {
        var formatter = TryResolve<T>();
        if (formatter is null)
        {
            ThrowHelper.ThrowNoFormatter(typeof(T));
        }

        return formatter;
    }

    private static ProcessionalFormatter<T>? TryResolve<T>()
    {
        if (Cache<T>.Formatter is { } registered)
        {
            return registered;
        }

        // A generated formatter registers itself from its assembly's module initializer, which the runtime runs on the
        // first use of that module; a type merely named (through typeof) may not have triggered it yet.
        RuntimeHelpers.RunModuleConstructor(typeof(T).Module.ModuleHandle);
        if (Cache<T>.Formatter is { } late)
        {
            return late;
        }

        lock (s_resolveLock)
        {
            if (Cache<T>.Formatter is null && BuiltInFormatters.Create<T>() is { } builtIn)
            {
                Cache<T>.Formatter = builtIn;
            }

            return Cache<T>.Formatter;
        }
    }

    [SuppressMessage("Design", "CA1812", Justification = "A static holder; never instantiated.")]
    private static class Cache<T>
    {
        public static ProcessionalFormatter<T>? Formatter;
    }
}
