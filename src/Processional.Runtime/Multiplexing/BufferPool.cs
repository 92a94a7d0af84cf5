using System.Buffers;

namespace Processional.Multiplexing;

/// <summary>
/// The buffers of one multiplexer, taken from <see cref="ArrayPool{T}.Shared"/> and counted, so that tests can check
/// that a connection gives back every buffer it took (<see cref="Outstanding"/>).
/// </summary>
internal sealed class BufferPool : MemoryPool<byte>
{
    // Owners given back, kept for the next rent: a pipe rents a segment for every message that finds it empty, and an
    // owner object each time would be garbage per message.
    private readonly Owner?[] _owners = new Owner?[16];
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

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        var array = RentArray(minBufferSize <= 0 ? 4096 : minBufferSize);
        for (var i = 0; i < _owners.Length; i++)
        {
            if (Volatile.Read(ref _owners[i]) is not null && Interlocked.Exchange(ref _owners[i], null) is { } owner)
            {
                owner.Reset(array);
                return owner;
            }
        }

        return new Owner(this, array);
    }

    protected override void Dispose(bool disposing)
    {
    }

    private void Recycle(Owner owner)
    {
        for (var i = 0; i < _owners.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _owners[i], owner, null) is null)
            {
                return;
            }
        }
    }

    private sealed class Owner(BufferPool pool, byte[] array) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(Owner));

        public void Reset(byte[] array) => Volatile.Write(ref _array, array);

        public void Dispose()
        {
            var array = Interlocked.Exchange(ref _array, null);
            if (array is not null)
            {
                pool.ReturnArray(array);
                pool.Recycle(this);
            }
        }
    }
}
