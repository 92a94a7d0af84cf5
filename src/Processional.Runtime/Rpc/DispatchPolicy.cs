namespace Processional.Rpc;

/// <summary>How the calls to an exposed object are scheduled.</summary>
public enum DispatchPolicy
{
    /// <summary>
    /// One call at a time, in the order the calls arrived, each (including its awaits) finished before the next starts:
    /// the object needs no locks. The default.
    /// </summary>
    Ordered = 0,

    /// <summary>Every call starts as soon as it arrives, concurrently with the others: the object must be thread-safe.</summary>
    Concurrent = 1,
}
