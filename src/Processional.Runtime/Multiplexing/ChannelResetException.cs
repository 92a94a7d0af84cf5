using System.IO;

namespace Processional.Multiplexing;

/// <summary>
/// A channel was reset, by the peer (<see cref="ByPeer"/>) or by this side: reads and writes on it fail with this
/// exception, whose message carries the reason given to <see cref="MultiplexedChannel.Reset(string)"/>.
/// </summary>
public class ChannelResetException : IOException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ChannelResetException()
        : base("The channel was reset.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ChannelResetException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ChannelResetException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a reset of one channel.</summary>
    /// <param name="channelId">The channel.</param>
    /// <param name="reason">The reason the resetting side gave.</param>
    /// <param name="byPeer">Whether the peer reset it.</param>
    public ChannelResetException(uint channelId, string reason, bool byPeer)
        : base($"Channel {channelId} was reset by {(byPeer ? "the peer" : "this side")}: {reason}")
    {
        ChannelId = channelId;
        Reason = reason;
        ByPeer = byPeer;
    }

    /// <summary>The channel that was reset.</summary>
    public uint ChannelId { get; }

    /// <summary>The reason the resetting side gave.</summary>
    public string Reason { get; } = string.Empty;

    /// <summary>Whether the peer reset the channel (otherwise this side did).</summary>
    public bool ByPeer { get; }
}
