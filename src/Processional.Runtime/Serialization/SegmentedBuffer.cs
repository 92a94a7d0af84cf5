using System.Buffers;

namespace Processional.Serialization;

/// <summary>
/// A growable buffer made of arrays rented from <see cref="ArrayPool{T}.Shared"/>: a buffer writer for
/// <see cref="ProcessionalSerializer.SerializeAsync{T}"/>, and the landing place of a stream's bytes for
/// <see cref="ProcessionalSerializer.DeserializeAsync{T}"/>. Segments grow geometrically, so a large payload takes few of
/// them and is never copied into one contiguous array.
/// </summary>
internal sealed class SegmentedBuffer : IBufferWriter<byte>, IDisposable
{
    private const int FirstSegmentSize = 4096;
    private const int LargestSegmentSize = 1024 * 1024;

    private readonly List<byte[]> _segments = [];

    // How much of each segment holds data: writing moves to a new segment when the next value does not fit, so a
    // segment other than the last may end with unused bytes.
    private readonly List<int> _usedLengths = [];
    private int _lastUsed;
    private long _length;

    /// <summary>The bytes written so far.</summary>
    public long Length => _length;

    /// <inheritdoc/>
    public void Advance(int count)
    {
        if (_segments.Count == 0 || (uint)count > (uint)(_segments[^1].Length - _lastUsed))
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "Cannot advance past the memory obtained.");
        }

        _lastUsed += count;
        _length += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint);

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).Span;

    /// <summary>Writes every segment to <paramref name="stream"/>.</summary>
    public async ValueTask WriteToAsync(Stream stream, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _segments.Count; i++)
        {
            var used = i == _segments.Count - 1 ? _lastUsed : SegmentLength(i);
            await stream.WriteAsync(_segments[i].AsMemory(0, used), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads <paramref name="stream"/> to its end into the buffer, failing past <paramref name="maxLength"/> bytes.</summary>
    public async ValueTask ReadFromAsync(Stream stream, long maxLength, CancellationToken cancellationToken)
    {
        while (true)
        {
            var memory = Reserve(1);
            var read = await stream.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            Advance(read);
            if (_length > maxLength)
            {
                throw new ProcessionalSerializationException(
                    $"The stream holds more than the {maxLength} bytes allowed by ProcessionalSerializerOptions.MaxStreamBytes", maxLength);
            }
        }
    }

    /// <summary>The bytes written, as a sequence over the segments (valid until the buffer is disposed).</summary>
    public ReadOnlySequence<byte> AsSequence()
    {
        if (_segments.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        if (_segments.Count == 1)
        {
            return new ReadOnlySequence<byte>(_segments[0], 0, _lastUsed);
        }

        Segment? first = null;
        Segment? last = null;
        for (var i = 0; i < _segments.Count; i++)
        {
            var used = i == _segments.Count - 1 ? _lastUsed : SegmentLength(i);
            var segment = new Segment(_segments[i].AsMemory(0, used), last is null ? 0 : last.RunningIndex + last.Memory.Length);
            if (last is null)
            {
                first = segment;
            }
            else
            {
                last.SetNext(segment);
            }

            last = segment;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    /// <summary>Returns every segment to the pool.</summary>
    public void Dispose()
    {
        foreach (var segment in _segments)
        {
            ArrayPool<byte>.Shared.Return(segment);
        }

        _segments.Clear();
        _usedLengths.Clear();
        _lastUsed = 0;
        _length = 0;
    }

    private int SegmentLength(int index) => _usedLengths[index];

    private Memory<byte> Reserve(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_segments.Count > 0 && _segments[^1].Length - _lastUsed >= sizeHint)
        {
            return _segments[^1].AsMemory(_lastUsed);
        }

        if (_segments.Count > 0)
        {
            _usedLengths[^1] = _lastUsed;
        }

        var size = _segments.Count == 0 ? FirstSegmentSize : Math.Min(LargestSegmentSize, _segments[^1].Length * 2);
        var segment = ArrayPool<byte>.Shared.Rent(Math.Max(size, sizeHint));
        _segments.Add(segment);
        _usedLengths.Add(0);
        _lastUsed = 0;
        return segment;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
