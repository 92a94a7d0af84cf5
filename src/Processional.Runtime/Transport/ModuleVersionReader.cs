using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Processional.Transport;

/// <summary>
/// Reads the module version id of an assembly file with a handful of small reads: the PE headers, the metadata root,
/// the first row of the Module table and one entry of the #GUID heap (ECMA-335 II.24–25). A slave checks its program's
/// modules this way at start, without loading System.Reflection.Metadata or reading whole metadata blocks.
/// </summary>
internal static class ModuleVersionReader
{
    private const int HeaderBytes = 4096;

    /// <summary>The module version id of the assembly at <paramref name="path"/>, or <see langword="null"/> when it cannot be read as one.</summary>
    public static Guid? TryRead(string path)
    {
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
            return TryRead(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static Guid? TryRead(SafeFileHandle file)
    {
        Span<byte> headers = stackalloc byte[HeaderBytes];
        var length = RandomAccess.Read(file, headers, 0);
        headers = headers[..length];
        if (length < 0x40 || headers[0] != (byte)'M' || headers[1] != (byte)'Z')
        {
            return null;
        }

        // PE signature, COFF header, optional header (PE32 or PE32+), then the section table.
        var pe = BinaryPrimitives.ReadInt32LittleEndian(headers[0x3C..]);
        if (pe < 0 || pe + 24 > length || BinaryPrimitives.ReadUInt32LittleEndian(headers[pe..]) != 0x00004550)
        {
            return null;
        }

        var sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(headers[(pe + 6)..]);
        var optionalSize = BinaryPrimitives.ReadUInt16LittleEndian(headers[(pe + 20)..]);
        var optional = pe + 24;
        if (optional + optionalSize > length)
        {
            return null;
        }

        var magic = BinaryPrimitives.ReadUInt16LittleEndian(headers[optional..]);
        var directories = optional + (magic == 0x20B ? 112 : magic == 0x10B ? 96 : -1_000_000);
        var cliEntry = directories + (14 * 8);
        if (directories < 0 || cliEntry + 8 > optional + optionalSize)
        {
            return null;
        }

        var sections = headers[(optional + optionalSize)..];
        if (sections.Length < sectionCount * 40)
        {
            return null;
        }

        var cliOffset = FileOffset(sections, sectionCount, BinaryPrimitives.ReadUInt32LittleEndian(headers[cliEntry..]));
        Span<byte> cli = stackalloc byte[16];
        if (cliOffset < 0 || RandomAccess.Read(file, cli, cliOffset) < 16)
        {
            return null;
        }

        // The metadata root: signature, version string, then the stream headers.
        var metadata = FileOffset(sections, sectionCount, BinaryPrimitives.ReadUInt32LittleEndian(cli[8..]));
        Span<byte> root = stackalloc byte[512];
        if (metadata < 0)
        {
            return null;
        }

        root = root[..RandomAccess.Read(file, root, metadata)];
        if (root.Length < 20 || BinaryPrimitives.ReadUInt32LittleEndian(root) != 0x424A5342)
        {
            return null;
        }

        var versionLength = BinaryPrimitives.ReadInt32LittleEndian(root[12..]);
        var position = 16 + versionLength + 2;
        if (versionLength < 0 || position + 2 > root.Length)
        {
            return null;
        }

        var streamCount = BinaryPrimitives.ReadUInt16LittleEndian(root[position..]);
        position += 2;
        long tables = -1, guids = -1;
        for (var i = 0; i < streamCount; i++)
        {
            if (position + 8 > root.Length)
            {
                return null;
            }

            var offset = BinaryPrimitives.ReadUInt32LittleEndian(root[position..]);
            var name = root[(position + 8)..];
            var end = name.IndexOf((byte)0);
            if (end < 0)
            {
                return null;
            }

            if (name[..end].SequenceEqual("#~"u8))
            {
                tables = metadata + offset;
            }
            else if (name[..end].SequenceEqual("#GUID"u8))
            {
                guids = metadata + offset;
            }

            position += 8 + ((end + 4) & ~3);
        }

        // The tables stream: heap sizes, the mask of present tables, one row count per present table, then the rows;
        // the Module table comes first: Generation (2 bytes), Name (string index), Mvid (GUID index).
        Span<byte> stream = stackalloc byte[24 + (64 * 4) + 16];
        if (tables < 0 || guids < 0)
        {
            return null;
        }

        var read = RandomAccess.Read(file, stream, tables);
        if (read < 24)
        {
            return null;
        }

        var heapSizes = stream[6];
        var present = BinaryPrimitives.ReadUInt64LittleEndian(stream[8..]);
        if ((present & 1) == 0)
        {
            return null;
        }

        // (Bit 0x40 of the heap sizes: 4 bytes of extra data follow the row counts.)
        var row = 24 + (System.Numerics.BitOperations.PopCount(present) * 4) + ((heapSizes & 0x40) != 0 ? 4 : 0);
        var mvidAt = row + 2 + ((heapSizes & 0x01) != 0 ? 4 : 2);
        if (mvidAt + 4 > read)
        {
            return null;
        }
        var guidIndex = (heapSizes & 0x02) != 0 ? BinaryPrimitives.ReadUInt32LittleEndian(stream[mvidAt..]) : BinaryPrimitives.ReadUInt16LittleEndian(stream[mvidAt..]);
        Span<byte> guid = stackalloc byte[16];
        return guidIndex == 0 || RandomAccess.Read(file, guid, guids + ((guidIndex - 1) * 16L)) < 16 ? null : new Guid(guid);
    }

    /// <summary>The file offset of a relative virtual address, from the section table; -1 when no section holds it.</summary>
    private static long FileOffset(ReadOnlySpan<byte> sections, int count, uint rva)
    {
        for (var i = 0; i < count; i++)
        {
            var section = sections[(i * 40)..];
            var virtualSize = BinaryPrimitives.ReadUInt32LittleEndian(section[8..]);
            var virtualAddress = BinaryPrimitives.ReadUInt32LittleEndian(section[12..]);
            var rawSize = BinaryPrimitives.ReadUInt32LittleEndian(section[16..]);
            var rawPointer = BinaryPrimitives.ReadUInt32LittleEndian(section[20..]);
            if (rva >= virtualAddress && rva < virtualAddress + Math.Max(virtualSize, rawSize))
            {
                return rawPointer + (rva - virtualAddress);
            }
        }

        return -1;
    }
}
