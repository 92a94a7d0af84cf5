namespace Processional.Rpc;

/// <summary>
/// The callee's record of a stream call, created on the reading thread when the request arrives, so that the credit
/// and cancellation the caller sends right after the request are kept until the method has returned its stream.
/// </summary>
internal sealed class StreamSlot
{
    private readonly Lock _lock = new();
    private int _credit;
    private bool _canceled;
    private StreamProducer? _producer;

    public void AddCredit(int credit)
    {
        StreamProducer? producer;
        lock (_lock)
        {
            producer = _producer;
            if (producer is null)
            {
                _credit += credit;
                return;
            }
        }

        producer.AddCredit(credit);
    }

    public void Cancel()
    {
        StreamProducer? producer;
        lock (_lock)
        {
            producer = _producer;
            if (producer is null)
            {
                _canceled = true;
                return;
            }
        }

        producer.Cancel();
    }

    public void Attach(StreamProducer producer)
    {
        int credit;
        bool canceled;
        lock (_lock)
        {
            _producer = producer;
            credit = _credit;
            canceled = _canceled;
        }

        if (canceled)
        {
            producer.Cancel();
        }
        else if (credit > 0)
        {
            producer.AddCredit(credit);
        }
    }
}
