using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

// The arities of one generic name share this file: they are one formatter written eight times.

/// <summary>
/// <c>Tuple</c> of 1 elements (a class): object header 1 (or <c>255</c> for null), then each element in order
/// (MemoryPack: <c>src/MemoryPack.Core/Formatters/TupleFormatter.cs</c>).
/// </summary>
/// <typeparam name="T1">An element type.</typeparam>
public sealed class TupleFormatter<T1> : ProcessionalFormatter<Tuple<T1?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static TupleFormatter<T1> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Tuple<T1?>? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader(1);
        writer.WriteValue(value.Item1);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref Tuple<T1?>? value)
    {
        var offset = reader.Consumed;
        if (!reader.TryReadObjectHeader(out var members))
        {
            value = null;
            return;
        }

        if (members != 1)
        {
            ThrowHelper.ThrowMemberCount(typeof(Tuple<T1?>), 1, members, offset);
        }

        value = new Tuple<T1?>(
            reader.ReadValue<T1>());
    }
}

/// <summary>
/// <c>Tuple</c> of 2 elements (a class): object header 2 (or <c>255</c> for null), then each element in order
/// (MemoryPack: <c>src/MemoryPack.Core/Formatters/TupleFormatter.cs</c>).
/// </summary>
/// <typeparam name="T1">An element type.</typeparam>
/// <typeparam name="T2">An element type.</typeparam>
public sealed class TupleFormatter<T1, T2> : ProcessionalFormatter<Tuple<T1?, T2?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static TupleFormatter<T1, T2> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Tuple<T1?, T2?>? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader(2);
        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref Tuple<T1?, T2?>? value)
    {
        var offset = reader.Consumed;
        if (!reader.TryReadObjectHeader(out var members))
        {
            value = null;
            return;
        }

        if (members != 2)
        {
            ThrowHelper.ThrowMemberCount(typeof(Tuple<T1?, T2?>), 2, members, offset);
        }

        value = new Tuple<T1?, T2?>(
            reader.ReadValue<T1>(),
            reader.ReadValue<T2>());
    }
}

/// <summary>
/// <c>Tuple</c> of 3 elements (a class): object header 3 (or <c>255</c> for null), then each element in order
/// (MemoryPack: <c>src/MemoryPack.Core/Formatters/TupleFormatter.cs</c>).
/// </summary>
/// <typeparam name="T1">An element type.</typeparam>
/// <typeparam name="T2">An element type.</typeparam>
/// <typeparam name="T3">An element type.</typeparam>
public sealed class TupleFormatter<T1, T2, T3> : ProcessionalFormatter<Tuple<T1?, T2?, T3?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static TupleFormatter<T1, T2, T3> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Tuple<T1?, T2?, T3?>? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader(3);
        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref Tuple<T1?, T2?, T3?>? value)
    {
        var offset = reader.Consumed;
        if (!reader.TryReadObjectHeader(out var members))
        {
            value = null;
            return;
        }

        if (members != 3)
        {
            ThrowHelper.ThrowMemberCount(typeof(Tuple<T1?, T2?, T3?>), 3, members, offset);
        }

        value = new Tuple<T1?, T2?, T3?>(
            reader.ReadValue<T1>(),
            reader.ReadValue<T2>(),
            reader.ReadValue<T3>());
    }
}

/// <summary>
/// <c>Tuple</c> of 4 elements (a class): object header 4 (or <c>255</c> for null), then each element in order
/// (MemoryPack: <c>src/MemoryPack.Core/Formatters/TupleFormatter.cs</c>).
/// </summary>
/// <typeparam name="T1">An element type.</typeparam>
/// <typeparam name="T2">An element type.</typeparam>
/// <typeparam name="T3">An element type.</typeparam>
/// <typeparam name="T4">An element type.</typeparam>
public sealed class TupleFormatter<T1, T2, T3, T4> : ProcessionalFormatter<Tuple<T1?, T2?, T3?, T4?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static TupleFormatter<T1, T2, T3, T4> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Tuple<T1?, T2?, T3?, T4?>? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader(4);
        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
        writer.WriteValue(value.Item4);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref Tuple<T1?, T2?, T3?, T4?>? value)
    {
        var offset = reader.Consumed;
        if (!reader.TryReadObjectHeader(out var members))
        {
            value = null;
            return;
        }

        if (members != 4)
        {
            ThrowHelper.ThrowMemberCount(typeof(Tuple<T1?, T2?, T3?, T4?>), 4, members, offset);
        }

        value = new Tuple<T1?, T2?, T3?, T4?>(
            reader.ReadValue<T1>(),
            reader.ReadValue<T2>(),
            reader.ReadValue<T3>(),
            reader.ReadValue<T4>());
    }
}

/// <summary>
/// <c>Tuple</c> of 5 elements (a class): object header 5 (or <c>255</c> for null), then each element in order
/// (MemoryPack: <c>src/MemoryPack.Core/Formatters/TupleFormatter.cs</c>).
/// </summary>
/// <typeparam name="T1">An element type.</typeparam>
/// <typeparam name="T2">An element type.</typeparam>
/// <typeparam name="T3">An element type.</typeparam>
/// <typeparam name="T4">An element type.</typeparam>
/// <typeparam name="T5">An element type.</typeparam>
public sealed class TupleFormatter<T1, T2, T3, T4, T5> : ProcessionalFormatter<Tuple<T1?, T2?, T3?, T4?, T5?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static TupleFormatter<T1, T2, T3, T4, T5> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Tuple<T1?, T2?, T3?, T4?, T5?>? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader(5);
        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
        writer.WriteValue(value.Item4);
        writer.WriteValue(value.Item5);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref Tuple<T1?, T2?, T3?, T4?, T5?>? value)
    {
        var offset = reader.Consumed;
        if (!reader.TryReadObjectHeader(out var members))
        {
            value = null;
            return;
        }

        if (members != 5)
        {
            ThrowHelper.ThrowMemberCount(typeof(Tuple<T1?, T2?, T3?, T4?, T5?>), 5, members, offset);
        }

        value = new Tuple<T1?, T2?, T3?, T4?, T5?>(
            reader.ReadValue<T1>(),
            reader.ReadValue<T2>(),
            reader.ReadValue<T3>(),
            reader.ReadValue<T4>(),
            reader.ReadValue<T5>());
    }
}

/// <summary>
/// <c>Tuple</c> of 6 elements (a class): object header 6 (or <c>255</c> for null), then each element in order
/// (MemoryPack: <c>src/MemoryPack.Core/Formatters/TupleFormatter.cs</c>).
/// </summary>
/// <typeparam name="T1">An element type.</typeparam>
/// <typeparam name="T2">An element type.</typeparam>
/// <typeparam name="T3">An element type.</typeparam>
/// <typeparam name="T4">An element type.</typeparam>
/// <typeparam name="T5">An element type.</typeparam>
/// <typeparam name="T6">An element type.</typeparam>
public sealed class TupleFormatter<T1, T2, T3, T4, T5, T6> : ProcessionalFormatter<Tuple<T1?, T2?, T3?, T4?, T5?, T6?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static TupleFormatter<T1, T2, T3, T4, T5, T6> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Tuple<T1?, T2?, T3?, T4?, T5?, T6?>? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader(6);
        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
        writer.WriteValue(value.Item4);
        writer.WriteValue(value.Item5);
        writer.WriteValue(value.Item6);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref Tuple<T1?, T2?, T3?, T4?, T5?, T6?>? value)
    {
        var offset = reader.Consumed;
        if (!reader.TryReadObjectHeader(out var members))
        {
            value = null;
            return;
        }

        if (members != 6)
        {
            ThrowHelper.ThrowMemberCount(typeof(Tuple<T1?, T2?, T3?, T4?, T5?, T6?>), 6, members, offset);
        }

        value = new Tuple<T1?, T2?, T3?, T4?, T5?, T6?>(
            reader.ReadValue<T1>(),
            reader.ReadValue<T2>(),
            reader.ReadValue<T3>(),
            reader.ReadValue<T4>(),
            reader.ReadValue<T5>(),
            reader.ReadValue<T6>());
    }
}

/// <summary>
/// <c>Tuple</c> of 7 elements (a class): object header 7 (or <c>255</c> for null), then each element in order
/// (MemoryPack: <c>src/MemoryPack.Core/Formatters/TupleFormatter.cs</c>).
/// </summary>
/// <typeparam name="T1">An element type.</typeparam>
/// <typeparam name="T2">An element type.</typeparam>
/// <typeparam name="T3">An element type.</typeparam>
/// <typeparam name="T4">An element type.</typeparam>
/// <typeparam name="T5">An element type.</typeparam>
/// <typeparam name="T6">An element type.</typeparam>
/// <typeparam name="T7">An element type.</typeparam>
public sealed class TupleFormatter<T1, T2, T3, T4, T5, T6, T7> : ProcessionalFormatter<Tuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?>>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static TupleFormatter<T1, T2, T3, T4, T5, T6, T7> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Tuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?>? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader(7);
        writer.WriteValue(value.Item1);
        writer.WriteValue(value.Item2);
        writer.WriteValue(value.Item3);
        writer.WriteValue(value.Item4);
        writer.WriteValue(value.Item5);
        writer.WriteValue(value.Item6);
        writer.WriteValue(value.Item7);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref Tuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?>? value)
    {
        var offset = reader.Consumed;
        if (!reader.TryReadObjectHeader(out var members))
        {
            value = null;
            return;
        }

        if (members != 7)
        {
            ThrowHelper.ThrowMemberCount(typeof(Tuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?>), 7, members, offset);
        }

        value = new Tuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?>(
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
/// <c>Tuple</c> of 8 elements (a class): object header 8 (or <c>255</c> for null), then each element in order
/// (MemoryPack: <c>src/MemoryPack.Core/Formatters/TupleFormatter.cs</c>).
/// </summary>
/// <typeparam name="T1">An element type.</typeparam>
/// <typeparam name="T2">An element type.</typeparam>
/// <typeparam name="T3">An element type.</typeparam>
/// <typeparam name="T4">An element type.</typeparam>
/// <typeparam name="T5">An element type.</typeparam>
/// <typeparam name="T6">An element type.</typeparam>
/// <typeparam name="T7">An element type.</typeparam>
/// <typeparam name="TRest">The rest, itself a tuple.</typeparam>
public sealed class TupleFormatter<T1, T2, T3, T4, T5, T6, T7, TRest> : ProcessionalFormatter<Tuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest>>
    where TRest : notnull
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static TupleFormatter<T1, T2, T3, T4, T5, T6, T7, TRest> Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Tuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest>? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader(8);
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
    public override void Deserialize(ref ProcessionalReader reader, scoped ref Tuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest>? value)
    {
        var offset = reader.Consumed;
        if (!reader.TryReadObjectHeader(out var members))
        {
            value = null;
            return;
        }

        if (members != 8)
        {
            ThrowHelper.ThrowMemberCount(typeof(Tuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest>), 8, members, offset);
        }

        var item1 = reader.ReadValue<T1>();
        var item2 = reader.ReadValue<T2>();
        var item3 = reader.ReadValue<T3>();
        var item4 = reader.ReadValue<T4>();
        var item5 = reader.ReadValue<T5>();
        var item6 = reader.ReadValue<T6>();
        var item7 = reader.ReadValue<T7>();
        var restOffset = reader.Consumed;
        var rest = reader.ReadValue<TRest>();
        if (rest is null)
        {
            ThrowHelper.ThrowInvalidValue(typeof(Tuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest>), "its rest is null", restOffset);
        }

        value = new Tuple<T1?, T2?, T3?, T4?, T5?, T6?, T7?, TRest>(item1, item2, item3, item4, item5, item6, item7, rest);
    }
}
