using System.Diagnostics.CodeAnalysis;

namespace Processional.Serialization.Formatters;

/// <summary>
/// <see cref="Version"/>: object header 4 (or <c>255</c> for null), then major, minor, build and revision as
/// <see cref="int"/>s, build and revision <c>-1</c> when undefined (MemoryPack: <c>src/MemoryPack.Core/Formatters/VersionFormatter.cs</c>).
/// A version with fewer components reads back with the same components defined.
/// </summary>
public sealed class VersionFormatter : ProcessionalFormatter<Version>
{
    /// <summary>The shared instance.</summary>
    [SuppressMessage("Design", "CA1000", Justification = "The usual shape of a formatter singleton.")]
    public static VersionFormatter Instance { get; } = new();

    /// <inheritdoc/>
    public override void Serialize<TBufferWriter>(ref ProcessionalWriter<TBufferWriter> writer, scoped ref Version? value)
    {
        if (value is null)
        {
            writer.WriteNullObjectHeader();
            return;
        }

        writer.WriteObjectHeader(4);
        writer.WriteUnmanaged(value.Major);
        writer.WriteUnmanaged(value.Minor);
        writer.WriteUnmanaged(value.Build);
        writer.WriteUnmanaged(value.Revision);
    }

    /// <inheritdoc/>
    public override void Deserialize(ref ProcessionalReader reader, scoped ref Version? value)
    {
        var offset = reader.Consumed;
        if (!reader.TryReadObjectHeader(out var members))
        {
            value = null;
            return;
        }

        if (members != 4)
        {
            ThrowHelper.ThrowMemberCount(typeof(Version), 4, members, offset);
        }

        var major = reader.ReadUnmanaged<int>();
        var minor = reader.ReadUnmanaged<int>();
        var build = reader.ReadUnmanaged<int>();
        var revision = reader.ReadUnmanaged<int>();
        if (major < 0 || minor < 0 || build < -1 || revision < -1 || (build == -1 && revision != -1))
        {
            ThrowHelper.ThrowInvalidValue(typeof(Version), $"components {major}.{minor}.{build}.{revision}", offset);
        }

        value = build == -1 ? new Version(major, minor) : revision == -1 ? new Version(major, minor, build) : new Version(major, minor, build, revision);
    }
}
