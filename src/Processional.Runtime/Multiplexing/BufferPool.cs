using System.Buffers;

namespace Processional.Multiplexing;

/// <summary>
/// The buffers of one multiplexer, taken from <see cref="ArrayPool{T}.Shared"/> and counted, so that tests can check
/// that a connection gives back every buffer it took (<see cref="Outstanding"/>).
/// </summary>
internal sealed class BufferPool : MemoryPool<byte>
{
    private long _outstanding;

    public override int MaxBufferSize => 1 << 30;

    /// <summary>Buffers rented and not yet returned.</summary>
    public long Outstanding => Interlocked.Read(ref _outstanding);

    public byte[] RentArray(int minimumLength)
    {
        Interlocked.Increment(ref _outstanding);
        return ArrayPool<byte>.Shared.Rent(minimumLength);
    }

    public void ReturnArray(byte[] array)
    {
        Interlocked.Decrement(ref _outstanding);
        ArrayPool<byte>.Shared.Return(array);
    }

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1) => new Owner(this, RentArray(minBufferSize <= 0 ? 4096 : minBufferSize));

    protected override void Dispose(bool disposing)
    {
    }

    private sealed class Owner(BufferPool pool, byte[] array) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(Owner));

        public void Dispose()
        {
            var array = Interlocked.Exchange(ref _array, null);
            if (array is not null)
            {
                pool.ReturnArray(array);
            }
        }
    }
}
