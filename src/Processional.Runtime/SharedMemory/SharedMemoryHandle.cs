using System.Buffers;
using Processional.Serialization;

namespace Processional;

/// <summary>
/// What travels instead of shared memory's contents: enough for the receiver to map the same pages. Bytes on the wire
/// (after a kind byte, 1; 0 is null): owner process id (<c>int32</c>), the owner's descriptor (<c>int32</c>), region id
/// (<c>uint64</c>), region data size, view offset and view length in bytes (<c>int64</c> each).
/// </summary>
internal readonly record struct SharedMemoryHandle(int ProcessId, int FileDescriptor, ulong RegionId, long RegionSize, long Offset, long Length)
{
    public const byte KindNull = 0;
    public const byte KindRegion = 1;

    /// <summary>Writes a handle to <paramref name="length"/> bytes at <paramref name="offset"/> of <paramref name="region"/> and counts it in transit (unless the caller did).</summary>
    public static void Write<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, SharedRegion region, long offset, long length, bool depart = true)
        where TBufferWriter : IBufferWriter<byte>
    {
        writer.WriteUnmanaged(KindRegion);
        writer.WriteUnmanaged(Environment.ProcessId);
        writer.WriteUnmanaged(region.FileDescriptor);
        writer.WriteUnmanaged(region.Id);
        writer.WriteUnmanaged(region.DataSize);
        writer.WriteUnmanaged(offset);
        writer.WriteUnmanaged(length);
        if (depart)
        {
            region.Depart();
        }
    }

    /// <summary>Reads a handle after its kind byte, checking that it is consistent.</summary>
    public static SharedMemoryHandle ReadAfterKind(ref ProcessionalReader reader)
    {
        var start = reader.Consumed;
        var handle = new SharedMemoryHandle(
            reader.ReadInt32(),
            reader.ReadInt32(),
            reader.ReadUInt64(),
            reader.ReadUnmanaged<long>(),
            reader.ReadUnmanaged<long>(),
            reader.ReadUnmanaged<long>());
        if (handle.ProcessId <= 0 || handle.FileDescriptor < 0 || handle.RegionSize < 0 || handle.Offset < 0 || handle.Length < 0 ||
            handle.Offset > handle.RegionSize || handle.Length > handle.RegionSize - handle.Offset)
        {
            reader.ThrowInvalid($"Shared memory handle {handle} is inconsistent (at offset {start})");
        }

        return handle;
    }
}
