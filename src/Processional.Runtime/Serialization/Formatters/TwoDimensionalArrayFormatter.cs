using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <c>T[,]</c>: object header 2+1, the 2 lengths, then the elements in row-major order as a collection
/// (see <c>docs/serialization.md</c>; MemoryPack: <c>src/MemoryPack.Core/Formatters/MultiDimensionalArrayFormatters.cs</c>).
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class TwoDimensionalArrayFormatter<T> : ProcessionalFormatter<T?[,]>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static TwoDimensionalArrayFormatter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref T?[,]? value) =>
        MultiDimensionalArrays.Write<TBufferWriter, T>(ref writer, value);

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref T?[,]? value)
    {
        Span<int> lengths = stackalloc int[2];
        if (!MultiDimensionalArrays.TryReadShape<T>(ref reader, typeof(T[,]), lengths))
        {
            value = null;
            return;
        }

        // Reused only when it has the same shape and is exactly T[,] (not a covariant array of a derived type).
        var reuse = value is not null && value.GetType() == typeof(T[,]);
        for (var dimension = 0; reuse && dimension < 2; dimension++)
        {
            reuse = value!.GetLength(dimension) == lengths[dimension];
        }

        if (!reuse)
        {
            value = new T?[lengths[0], lengths[1]];
        }

        reader.ReadElements(MultiDimensionalArrays.Elements<T?>(value!));
    }
}
