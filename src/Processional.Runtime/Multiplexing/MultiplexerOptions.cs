using System.IO.Pipelines;

namespace Processional.Multiplexing;

/// <summary>Tuning of a <see cref="Multiplexer"/>. Immutable; <see cref="Default"/> holds the defaults.</summary>
public sealed class MultiplexerOptions
{
    private readonly int _channelWindow = 1 << 20;
    private readonly int _maxFramePayload = 256 * 1024;
    private readonly int _maxChannels = 1024;
    private readonly TimeSpan? _keepAliveInterval;
    private readonly TimeSpan _disposeTimeout = TimeSpan.FromSeconds(2);
    private readonly int _maxMessageLength = 1 << 30;

    /// <summary>The defaults: 1 MiB window, 256 KiB frames, 1024 channels, no heartbeat.</summary>
    public static MultiplexerOptions Default { get; } = new();

    /// <summary>
    /// How many bytes the peer may send on one channel before this side's reader has consumed them: the per-channel
    /// flow-control window, 1 KiB to 1 GiB. Default 1 MiB. A reader that falls behind by a whole window stops only
    /// its own channel's sender; the other channels keep flowing.
    /// </summary>
    public int ChannelWindow
    {
        get => _channelWindow;
        init => _channelWindow = CheckRange(value, Frame.MinWindow, Frame.MaxWindow, nameof(ChannelWindow));
    }

    /// <summary>
    /// The largest frame payload this side accepts and sends, 1 KiB to 16 MiB - 1. Default 256 KiB: a bulk transfer
    /// costs a frame header, a receive and a wake-up of the channel's reader per frame, so larger frames carry it with
    /// less work (measured on a 2-core machine: about 4 times less receiving CPU than 64 KiB frames). How long a message
    /// waits behind bulk data on the same connection is bounded by the channel window, not by the frame size.
    /// </summary>
    public int MaxFramePayload
    {
        get => _maxFramePayload;
        init => _maxFramePayload = CheckRange(value, Frame.MinMaxPayload, Frame.MaxPayloadLimit, nameof(MaxFramePayload));
    }

    /// <summary>
    /// The largest message (channel 0 in message mode) this side accepts, 1 KiB to 2 GiB - 1 (an array's limit).
    /// Default 1 GiB. A message in parts is gathered in memory until its last part, so this bounds what a peer can make
    /// this side hold; a longer one breaks the protocol and closes the connection.
    /// </summary>
    public int MaxMessageLength
    {
        get => _maxMessageLength;
        init => _maxMessageLength = CheckRange(value, Frame.MinMaxPayload, Array.MaxLength, nameof(MaxMessageLength));
    }

    /// <summary>How many channels may be open at once on the connection (both directions together). Default 1024.</summary>
    public int MaxChannels
    {
        get => _maxChannels;
        init => _maxChannels = CheckRange(value, 1, 1 << 20, nameof(MaxChannels));
    }

    /// <summary>
    /// How often to ping the peer; <see langword="null"/> (the default) sends no heartbeat. With a heartbeat, a peer
    /// that sends nothing at all for <see cref="KeepAliveTimeout"/> is taken as lost.
    /// </summary>
    public TimeSpan? KeepAliveInterval
    {
        get => _keepAliveInterval;
        init => _keepAliveInterval = value is { } v && v <= TimeSpan.Zero
            ? throw new ArgumentOutOfRangeException(nameof(KeepAliveInterval), v, "The interval must be positive.")
            : value;
    }

    /// <summary>How long the peer may stay silent when <see cref="KeepAliveInterval"/> is set; default three intervals.</summary>
    public TimeSpan? KeepAliveTimeout { get; init; }

    /// <summary>
    /// How long <see cref="Multiplexer.DisposeAsync"/> waits for the farewell frame to be sent and the reading loop to
    /// stop before it closes the transport regardless. Default 2 s.
    /// </summary>
    public TimeSpan DisposeTimeout
    {
        get => _disposeTimeout;
        init => _disposeTimeout = value < TimeSpan.Zero ? throw new ArgumentOutOfRangeException(nameof(DisposeTimeout)) : value;
    }

    /// <summary>
    /// Where the continuations of channel reads run. Default <see cref="PipeScheduler.ThreadPool"/>, so that a slow
    /// reader never holds up the connection's reading loop. <see cref="PipeScheduler.Inline"/> saves a thread hop per
    /// message: over a socket the reader's code then runs on the connection's receiving thread as soon as the bytes
    /// are in, and what it writes back leaves with the batch. Only for readers that never block: while the reader's
    /// code runs nothing else of the connection is read, and a reader that blocks waiting for more data of the same
    /// connection deadlocks it.
    /// </summary>
    public PipeScheduler ReaderScheduler { get; init; } = PipeScheduler.ThreadPool;

    internal TimeSpan EffectiveKeepAliveTimeout => KeepAliveTimeout ?? (KeepAliveInterval is { } i ? i * 3 : Timeout.InfiniteTimeSpan);

    private static int CheckRange(int value, int min, int max, string name) =>
        value < min || value > max ? throw new ArgumentOutOfRangeException(name, value, $"Must be from {min} to {max}.") : value;
}
