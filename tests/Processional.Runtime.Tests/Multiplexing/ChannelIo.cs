using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;

namespace Processional.Tests.Multiplexing;

/// <summary>Reading and writing helpers for channel tests.</summary>
internal static class ChannelIo
{
    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Writes <paramref name="data"/> in chunks of <paramref name="chunk"/> bytes, flushing each.</summary>
    public static async Task WriteAllAsync(PipeWriter writer, ReadOnlyMemory<byte> data, int chunk, bool complete = true, CancellationToken cancellationToken = default)
    {
        while (!data.IsEmpty)
        {
            var n = Math.Min(chunk, data.Length);
            await writer.WriteAsync(data[..n], cancellationToken);
            data = data[n..];
        }

        if (complete)
        {
            await writer.CompleteAsync();
        }
    }

    /// <summary>Reads to the end of stream; returns the bytes.</summary>
    public static async Task<byte[]> ReadToEndAsync(PipeReader reader, CancellationToken cancellationToken = default)
    {
        var output = new ArrayBufferWriter<byte>();
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            foreach (var segment in result.Buffer)
            {
                output.Write(segment.Span);
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                await reader.CompleteAsync();
                return output.WrittenSpan.ToArray();
            }
        }
    }

    /// <summary>Reads to the end of stream, hashing; returns the SHA-256 and the length.</summary>
    public static async Task<(byte[] Hash, long Length)> HashToEndAsync(PipeReader reader, CancellationToken cancellationToken = default)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            foreach (var segment in result.Buffer)
            {
                hash.AppendData(segment.Span);
                length += segment.Length;
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                await reader.CompleteAsync();
                return (hash.GetHashAndReset(), length);
            }
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes.</summary>
    public static async Task<byte[]> ReadExactlyAsync(PipeReader reader, int count, CancellationToken cancellationToken = default)
    {
        var result = await reader.ReadAtLeastAsync(count, cancellationToken);
        if (result.Buffer.Length < count)
        {
            throw new EndOfStreamException($"Expected {count} bytes, the stream ended after {result.Buffer.Length}.");
        }

        var bytes = result.Buffer.Slice(0, count).ToArray();
        reader.AdvanceTo(result.Buffer.GetPosition(count));
        return bytes;
    }
}
