using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="RemoteExceptionInfo"/>: an object of 6 members (see its remarks for the layout). Reading accepts fewer
/// members (the missing ones keep their defaults), rejects more, and never creates an instance of the type it names.
/// </summary>
public sealed class RemoteExceptionInfoFormatter : ProcessionalFormatter<RemoteExceptionInfo>
{
    private const byte MemberCount = 6;

    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static RemoteExceptionInfoFormatter Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref RemoteExceptionInfo? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader(MemberCount);
        writer.WriteString(value.TypeName);
        writer.WriteString(value.Message);
        writer.WriteString(value.StackTrace);
        writer.WriteUnmanaged(value.HResult);

        var inner = value.InnerExceptions;
        writer.WriteCollectionHeader(inner.Count);
        for (var i = 0; i < inner.Count; i++)
        {
            var item = inner[i];
            writer.WriteElement(this, ref item);
        }

        var data = value.Data;
        writer.WriteCollectionHeader(data.Count);
        for (var i = 0; i < data.Count; i++)
        {
            WriteDataValue(ref writer, data[i].Key);
            WriteDataValue(ref writer, data[i].Value);
        }
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref RemoteExceptionInfo? value)
    {
        var offset = reader.Consumed;
        if (!reader.TryReadObjectHeader(out var members))
        {
            value = null;
            return;
        }

        if (members > MemberCount)
        {
            ThrowHelper.ThrowMemberCount(typeof(RemoteExceptionInfo), MemberCount, members, offset);
        }

        var typeName = members > 0 ? reader.ReadString() : null;
        var message = members > 1 ? reader.ReadString() : null;
        var stackTrace = members > 2 ? reader.ReadString() : null;
        var hResult = members > 3 ? reader.ReadUnmanaged<int>() : 0;
        var inner = members > 4 ? ReadInner(ref reader) : [];
        var data = members > 5 ? ReadData(ref reader) : [];
        value = new RemoteExceptionInfo
        {
            TypeName = typeName ?? string.Empty,
            Message = message ?? string.Empty,
            StackTrace = stackTrace,
            HResult = hResult,
            InnerExceptions = inner,
            Data = data,
        };
    }

    private RemoteExceptionInfo[] ReadInner(ref ProcessionalReader reader)
    {
        if (!reader.TryReadCollectionHeader(out var count) || count == 0)
        {
            return [];
        }

        var inner = new RemoteExceptionInfo[count];
        for (var i = 0; i < count; i++)
        {
            var offset = reader.Consumed;
            RemoteExceptionInfo? item = null;
            reader.ReadElement(this, ref item);
            if (item is null)
            {
                ThrowHelper.ThrowInvalid("An inner exception is null", offset);
            }

            inner[i] = item;
        }

        return inner;
    }

    private static KeyValuePair<object, object?>[] ReadData(ref ProcessionalReader reader)
    {
        // Each entry is at least two one-byte union headers.
        if (!reader.TryReadCollectionHeader(out var count, minimumElementSize: 2) || count == 0)
        {
            return [];
        }

        var data = new KeyValuePair<object, object?>[count];
        for (var i = 0; i < count; i++)
        {
            var offset = reader.Consumed;
            var key = ReadDataValue(ref reader);
            if (key is null)
            {
                ThrowHelper.ThrowInvalid("A key of exception data is null", offset);
            }

            data[i] = new(key, ReadDataValue(ref reader));
        }

        return data;
    }

    private static void WriteDataValue<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, object? value)
        where TBufferWriter : IBufferWriter<byte>
    {
        switch (RemoteExceptionInfo.ToTransportable(value))
        {
            case null:
                writer.WriteNullUnionHeader();
                break;
            case string text:
                writer.WriteUnionHeader((byte)TypeCode.String);
                writer.WriteString(text);
                break;
            case bool item:
                WriteTagged(ref writer, TypeCode.Boolean, item);
                break;
            case char item:
                WriteTagged(ref writer, TypeCode.Char, item);
                break;
            case sbyte item:
                WriteTagged(ref writer, TypeCode.SByte, item);
                break;
            case byte item:
                WriteTagged(ref writer, TypeCode.Byte, item);
                break;
            case short item:
                WriteTagged(ref writer, TypeCode.Int16, item);
                break;
            case ushort item:
                WriteTagged(ref writer, TypeCode.UInt16, item);
                break;
            case int item:
                WriteTagged(ref writer, TypeCode.Int32, item);
                break;
            case uint item:
                WriteTagged(ref writer, TypeCode.UInt32, item);
                break;
            case long item:
                WriteTagged(ref writer, TypeCode.Int64, item);
                break;
            case ulong item:
                WriteTagged(ref writer, TypeCode.UInt64, item);
                break;
            case float item:
                WriteTagged(ref writer, TypeCode.Single, item);
                break;
            case double item:
                WriteTagged(ref writer, TypeCode.Double, item);
                break;
            case decimal item:
                WriteTagged(ref writer, TypeCode.Decimal, item);
                break;
            case DateTime item:
                WriteTagged(ref writer, TypeCode.DateTime, item);
                break;
        }
    }

    private static void WriteTagged<TBufferWriter, T>(ref ProcessionalWriter<TBufferWriter> writer, TypeCode tag, T value)
        where TBufferWriter : IBufferWriter<byte>
        where T : unmanaged
    {
        writer.WriteUnionHeader((byte)tag);
        writer.WriteUnmanaged(value);
    }

    private static object? ReadDataValue(ref ProcessionalReader reader)
    {
        var offset = reader.Consumed;
        if (!reader.TryReadUnionHeader(out var tag))
        {
            return null;
        }

        switch ((TypeCode)tag)
        {
            case TypeCode.String:
                return reader.ReadString();
            case TypeCode.Boolean:
                var flag = reader.ReadUnmanaged<byte>();
                if (flag > 1)
                {
                    ThrowHelper.ThrowInvalid($"A boolean of exception data is {flag}", offset);
                }

                return flag == 1;
            case TypeCode.Char:
                return reader.ReadUnmanaged<char>();
            case TypeCode.SByte:
                return reader.ReadUnmanaged<sbyte>();
            case TypeCode.Byte:
                return reader.ReadUnmanaged<byte>();
            case TypeCode.Int16:
                return reader.ReadUnmanaged<short>();
            case TypeCode.UInt16:
                return reader.ReadUnmanaged<ushort>();
            case TypeCode.Int32:
                return reader.ReadUnmanaged<int>();
            case TypeCode.UInt32:
                return reader.ReadUnmanaged<uint>();
            case TypeCode.Int64:
                return reader.ReadUnmanaged<long>();
            case TypeCode.UInt64:
                return reader.ReadUnmanaged<ulong>();
            case TypeCode.Single:
                return reader.ReadUnmanaged<float>();
            case TypeCode.Double:
                return reader.ReadUnmanaged<double>();
            case TypeCode.Decimal:
                var number = 0m;
                DecimalFormatter.Instance.Deserialize(ref reader, ref number);
                return number;
            case TypeCode.DateTime:
                var time = default(DateTime);
                DateTimeFormatter.Instance.Deserialize(ref reader, ref time);
                return time;
            default:
                ThrowHelper.ThrowInvalid($"Exception data has a value of unknown kind {tag}", offset);
                return null;
        }
    }
}
