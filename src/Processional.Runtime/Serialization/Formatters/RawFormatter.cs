namespace Processional.Serialization.Formatters;

/// <summary>
/// Any type without references (enums, user structs, <see cref="Guid"/>, value tuples and key/value pairs of such):
/// its raw bytes, no header, like <see cref="UnmanagedFormatter{T}"/>. It needs no <c>unmanaged</c> constraint, so the
/// registry creates it for any such <typeparamref name="T"/> without reflection (and so under Native AOT too).
/// </summary>
/// <typeparam name="T">A type for which <see cref="System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences{T}"/> is false.</typeparam>
internal sealed class RawFormatter<T> : ProcessionalFormatter<T>, IRawFormatter
{
    public static readonly RawFormatter<T> Instance = new();

    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref T? value) =>
        writer.WriteRaw(value);

    public override void Deserialize(ref ProcessionalReader reader, scoped ref T? value) =>
        value = reader.ReadRaw<T>();
}
