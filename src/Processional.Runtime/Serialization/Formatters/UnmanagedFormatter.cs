using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Processional.Serialization.Formatters;

/// <summary>An unmanaged type (a primitive, an enum, a struct without references): its raw bytes, no header.</summary>
/// <typeparam name="T">An unmanaged type.</typeparam>
public sealed class UnmanagedFormatter<T> : ProcessionalFormatter<T>
    where T : unmanaged
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static UnmanagedFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref T value) =>
        writer.WriteUnmanaged(value);

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref T value) =>
        value = reader.ReadUnmanaged<T>();
}

/// <summary>Closes <see cref="UnmanagedFormatter{T}"/> over a type known only to be free of references.</summary>
internal static class UnmanagedFormatterFactory
{
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Only reached under the JIT; generated code registers formatters for Native AOT.")]
    [UnconditionalSuppressMessage("Trimming", "IL2055", Justification = "The formatter type is kept by its use here.")]
    [UnconditionalSuppressMessage("Trimming", "IL2077", Justification = "The formatter type is kept by its use here.")]
    [UnconditionalSuppressMessage("Trimming", "IL2091", Justification = "The unmanaged constraint implies new(); unmanaged types always have one.")]
    public static ProcessionalFormatter<T>? Create<T>()
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            return null;
        }

        var formatterType = typeof(UnmanagedFormatter<>).MakeGenericType(typeof(T));
        return (ProcessionalFormatter<T>)formatterType.GetProperty(nameof(UnmanagedFormatter<int>.Instance))!.GetValue(null)!;
    }
}
