using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Processional.Serialization.Formatters;

// The arities of one generic name share this file: they are one formatter written eight times.

/// <summary>
/// <c>ValueTuple</c> of 1 elements: the raw struct when it holds no references, else each element in order with no
/// header (MemoryPack: <c>src/MemoryPack.Core/Formatters/TupleFormatter.cs</c>).
/// </summary>
/// <typeparam name="T1">An element type.</typeparam>
public sealed class ValueTupleFormatter<T1> : ProcessionalFormatter<ValueTuple<T1?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static ValueTupleFormatter<T1> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ValueTuple<T1?> value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<ValueTuple<T1?>>())
        {
            writer.WriteRaw(value);
            return;
        }

        writer.WriteValue(value.Item1);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref ValueTuple<T1?> value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<ValueTuple<T1?>>())
        {
            value = reader.ReadRaw<ValueTuple<T1?>>();
            return;
        }

        value = new ValueTuple<T1?>(
            reader.ReadValue<T1>());
    }
}

/// <summary>
/// <c>ValueTuple</c> of 2 elements: the raw struct when it holds no references, else each element in order with no
/// header (MemoryPack: <c>src/MemoryPack.Core/Formatters/TupleFormatter.cs</c>).
/// </summary>
/// <typeparam name="T1">An element type.</typeparam>
/// <typeparam name="T2">An element type.</typeparam>
public sealed class ValueTupleFormatter<T1, T2> : ProcessionalFormatter<ValueTuple<T1?, T2?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static ValueTupleFormatter<T1, T2> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ValueTuple<T1?, T2?> value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<ValueTuple<T1?, T2?>>())
        {
            writer.WriteRaw(value);
            return;
        }

        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref ValueTuple<T1?, T2?> value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<ValueTuple<T1?, T2?>>())
        {
            value = reader.ReadRaw<ValueTuple<T1?, T2?>>();
            return;
        }

        value = new ValueTuple<T1?, T2?>(
            reader.ReadValue<T1>(),
            reader.ReadValue<T2>());
    }
}

/// <summary>
/// <c>ValueTuple</c> of 3 elements: the raw struct when it holds no references, else each element in order with no
/// header (MemoryPack: <c>src/MemoryPack.Core/Formatters/TupleFormatter.cs</c>).
/// </summary>
/// <typeparam name="T1">An element type.</typeparam>
/// <typeparam name="T2">An element type.</typeparam>
/// <typeparam name="T3">An element type.</typeparam>
public sealed class ValueTupleFormatter<T1, T2, T3> : ProcessionalFormatter<ValueTuple<T1?, T2?, T3?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static ValueTupleFormatter<T1, T2, T3> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ValueTuple<T1?, T2?, T3?> value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<ValueTuple<T1?, T2?, T3?>>())
        {
            writer.WriteRaw(value);
            return;
        }

        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref ValueTuple<T1?, T2?, T3?> value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<ValueTuple<T1?, T2?, T3?>>())
        {
            value = reader.ReadRaw<ValueTuple<T1?, T2?, T3?>>();
            return;
        }

        value = new ValueTuple<T1?, T2?, T3?>(
            reader.ReadValue<T1>(),
            reader.ReadValue<T2>(),
            reader.ReadValue<T3>());
    }
}

/// <summary>
/// <c>ValueTuple</c> of 4 elements: the raw struct when it holds no references, else each element in order with no
/// header (MemoryPack: <c>src/MemoryPack.Core/Formatters/TupleFormatter.cs</c>).
/// </summary>
/// <typeparam name="T1">An element type.</typeparam>
/// <typeparam name="T2">An element type.</typeparam>
/// <typeparam name="T3">An element type.</typeparam>
/// <typeparam name="T4">An element type.</typeparam>
public sealed class ValueTupleFormatter<T1, T2, T3, T4> : ProcessionalFormatter<ValueTuple<T1?, T2?, T3?, T4?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static ValueTupleFormatter<T1, T2, T3, T4> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ValueTuple<T1?, T2?, T3?, T4?> value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<ValueTuple<T1?, T2?, T3?, T4?>>())
        {
            writer.WriteRaw(value);
            return;
        }

        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
        writer.WriteValue(value.Item4);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref ValueTuple<T1?, T2?, T3?, T4?> value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<ValueTuple<T1?, T2?, T3?, T4?>>())
        {
            value = reader.ReadRaw<ValueTuple<T1?, T2?, T3?, T4?>>();
            return;
        }

        value = new ValueTuple<T1?, T2?, T3?, T4?>(
            reader.ReadValue<T1>(),
            reader.ReadValue<T2>(),
            reader.ReadValue<T3>(),
            reader.ReadValue<T4>());
    }
}

/// <summary>
/// <c>ValueTuple</c> of 5 elements: the raw struct when it holds no references, else each element in order with no
/// header (MemoryPack: <c>src/MemoryPack.Core/Formatters/TupleFormatter.cs</c>).
/// </summary>
/// <typeparam name="T1">An element type.</typeparam>
/// <typeparam name="T2">An element type.</typeparam>
/// <typeparam name="T3">An element type.</typeparam>
/// <typeparam name="T4">An element type.</typeparam>
/// <typeparam name="T5">An element type.</typeparam>
public sealed class ValueTupleFormatter<T1, T2, T3, T4, T5> : ProcessionalFormatter<ValueTuple<T1?, T2?, T3?, T4?, T5?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static ValueTupleFormatter<T1, T2, T3, T4, T5> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ValueTuple<T1?, T2?, T3?, T4?, T5?> value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<ValueTuple<T1?, T2?, T3?, T4?, T5?>>())
        {
            writer.WriteRaw(value);
            return;
        }

        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
        writer.WriteValue(value.Item4);
        writer.WriteValue(value.Item5);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref ValueTuple<T1?, T2?, T3?, T4?, T5?> value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<ValueTuple<T1?, T2?, T3?, T4?, T5?>>())
        {
            value = reader.ReadRaw<ValueTuple<T1?, T2?, T3?, T4?, T5?>>();
            return;
        }

        value = new ValueTuple<T1?, T2?, T3?, T4?, T5?>(
            reader.ReadValue<T1>(),
            reader.ReadValue<T2>(),
            reader.ReadValue<T3>(),
            reader.ReadValue<T4>(),
            reader.ReadValue<T5>());
    }
}

/// <summary>
/// <c>ValueTuple</c> of 6 elements: the raw struct when it holds no references, else each element in order with no
/// header (MemoryPack: <c>src/MemoryPack.Core/Formatters/TupleFormatter.cs</c>).
/// </summary>
/// <typeparam name="T1">An element type.</typeparam>
/// <typeparam name="T2">An element type.</typeparam>
/// <typeparam name="T3">An element type.</typeparam>
/// <typeparam name="T4">An element type.</typeparam>
/// <typeparam name="T5">An element type.</typeparam>
/// <typeparam name="T6">An element type.</typeparam>
public sealed class ValueTupleFormatter<T1, T2, T3, T4, T5, T6> : ProcessionalFormatter<ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static ValueTupleFormatter<T1, T2, T3, T4, T5, T6> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?> value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?>>())
        {
            writer.WriteRaw(value);
            return;
        }

        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
        writer.WriteValue(value.Item4);
        writer.WriteValue(value.Item5);
        writer.WriteValue(value.Item6);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?> value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?>>())
        {
            value = reader.ReadRaw<ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?>>();
            return;
        }

        value = new ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?>(
            reader.ReadValue<T1>(),
            reader.ReadValue<T2>(),
            reader.ReadValue<T3>(),
            reader.ReadValue<T4>(),
            reader.ReadValue<T5>(),
            reader.ReadValue<T6>());
    }
}

/// <summary>
/// <c>ValueTuple</c> of 7 elements: the raw struct when it holds no references, else each element in order with no
/// header (MemoryPack: <c>src/MemoryPack.Core/Formatters/TupleFormatter.cs</c>).
/// </summary>
/// <typeparam name="T1">An element type.</typeparam>
/// <typeparam name="T2">An element type.</typeparam>
/// <typeparam name="T3">An element type.</typeparam>
/// <typeparam name="T4">An element type.</typeparam>
/// <typeparam name="T5">An element type.</typeparam>
/// <typeparam name="T6">An element type.</typeparam>
/// <typeparam name="T7">An element type.</typeparam>
public sealed class ValueTupleFormatter<T1, T2, T3, T4, T5, T6, T7> : ProcessionalFormatter<ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static ValueTupleFormatter<T1, T2, T3, T4, T5, T6, T7> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?> value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?>>())
        {
            writer.WriteRaw(value);
            return;
        }

        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
        writer.WriteValue(value.Item4);
        writer.WriteValue(value.Item5);
        writer.WriteValue(value.Item6);
        writer.WriteValue(value.Item7);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?> value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?>>())
        {
            value = reader.ReadRaw<ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?>>();
            return;
        }

        value = new ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?>(
            reader.ReadValue<T1>(),
            reader.ReadValue<T2>(),
            reader.ReadValue<T3>(),
            reader.ReadValue<T4>(),
            reader.ReadValue<T5>(),
            reader.ReadValue<T6>(),
            reader.ReadValue<T7>());
    }
}

/// <summary>
/// <c>ValueTuple</c> of 8 elements: the raw struct when it holds no references, else each element in order with no
/// header (MemoryPack: <c>src/MemoryPack.Core/Formatters/TupleFormatter.cs</c>).
/// </summary>
/// <typeparam name="T1">An element type.</typeparam>
/// <typeparam name="T2">An element type.</typeparam>
/// <typeparam name="T3">An element type.</typeparam>
/// <typeparam name="T4">An element type.</typeparam>
/// <typeparam name="T5">An element type.</typeparam>
/// <typeparam name="T6">An element type.</typeparam>
/// <typeparam name="T7">An element type.</typeparam>
/// <typeparam name="TRest">The rest, itself a value tuple.</typeparam>
public sealed class ValueTupleFormatter<T1, T2, T3, T4, T5, T6, T7, TRest> : ProcessionalFormatter<ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest>>
    where TRest : struct
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static ValueTupleFormatter<T1, T2, T3, T4, T5, T6, T7, TRest> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest> value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest>>())
        {
            writer.WriteRaw(value);
            return;
        }

        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
        writer.WriteValue(value.Item4);
        writer.WriteValue(value.Item5);
        writer.WriteValue(value.Item6);
        writer.WriteValue(value.Item7);
        writer.WriteValue(value.Rest);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest> value)
    {
        if (!RuntimeHelpers.IsReferenceOrContainsReferences<ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest>>())
        {
            value = reader.ReadRaw<ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest>>();
            return;
        }

        value = new ValueTuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest>(
            reader.ReadValue<T1>(),
            reader.ReadValue<T2>(),
            reader.ReadValue<T3>(),
            reader.ReadValue<T4>(),
            reader.ReadValue<T5>(),
            reader.ReadValue<T6>(),
            reader.ReadValue<T7>(),
            reader.ReadValue<TRest>());
    }
}
