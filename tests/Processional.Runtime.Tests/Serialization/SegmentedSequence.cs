using System.Buffers;

namespace Processional.Tests.Serialization;

/// <summary>Builds a multi-segment <see cref="ReadOnlySequence{T}"/>, to exercise readers across segment boundaries.</summary>
internal static class SegmentedSequence
{
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> bytes, int segmentSize)
    {
        if (bytes.IsEmpty)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Segment? first = null;
        Segment? last = null;
        for (var start = 0; start < bytes.Length; start += segmentSize)
        {
            var chunk = bytes.Slice(start, Math.Min(segmentSize, bytes.Length - start)).ToArray();
            var segment = new Segment(chunk, last is null ? 0 : last.RunningIndex + last.Memory.Length);
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
