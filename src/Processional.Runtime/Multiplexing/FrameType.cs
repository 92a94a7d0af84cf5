namespace Processional.Multiplexing;

/// <summary>The frame types of the multiplexing protocol (docs/protocol.md, "Frames").</summary>
internal enum FrameType : byte
{
    /// <summary>Connection: the sender's receive window per channel and largest frame payload. First frame, once.</summary>
    Settings = 0x01,

    /// <summary>Opens a channel with the frame's channel id.</summary>
    Open = 0x02,

    /// <summary>Bytes for a channel; counts against the channel's window.</summary>
    Data = 0x03,

    /// <summary>Gives the sender of a channel more credit: a uint32 increment.</summary>
    WindowUpdate = 0x04,

    /// <summary>Half-close: the sender sends no more data on the channel.</summary>
    End = 0x05,

    /// <summary>Aborts the channel in both directions, with a UTF-8 message.</summary>
    Reset = 0x06,

    /// <summary>Connection: asks for a <see cref="Pong"/> with the same 8 bytes.</summary>
    Ping = 0x07,

    /// <summary>Connection: answers a <see cref="Ping"/>.</summary>
    Pong = 0x08,

    /// <summary>Connection: the sender closes the connection; a code byte and a UTF-8 reason.</summary>
    GoAway = 0x09,

    /// <summary>Channel 0 in message mode: a whole message, or the last part of one. No flow-control window.</summary>
    Message = 0x0A,

    /// <summary>Channel 0 in message mode: a part of a message that goes on in the next Message or MessagePart frame.</summary>
    MessagePart = 0x0B,
}
