namespace Processional.Rpc;

/// <summary>The first byte of every RPC message on channel 0. See docs/protocol.md, "RPC messages".</summary>
internal enum RpcMessageType : byte
{
    /// <summary><c>01 | u64 callId | u64 objectId | u32 methodId | u8 flags | arguments</c>.</summary>
    Request = 0x01,

    /// <summary><c>02 | u64 callId | result</c>.</summary>
    Response = 0x02,

    /// <summary><c>03 | u64 callId | RemoteExceptionInfo</c>.</summary>
    Error = 0x03,

    /// <summary><c>04 | u64 callId</c>: the caller gave up on the call.</summary>
    Cancel = 0x04,

    /// <summary><c>05 | u64 objectId | u32 count</c>: the sender dropped <c>count</c> references to an object of the receiver.</summary>
    Release = 0x05,

    /// <summary><c>06 | u64 callId | u8 progressIndex | value</c>: a progress report of a call in flight.</summary>
    Progress = 0x06,

    /// <summary><c>07 | u64 streamId | item</c>: the next item of a streamed result.</summary>
    StreamItem = 0x07,

    /// <summary><c>08 | u64 streamId | u8 failed | [RemoteExceptionInfo]</c>: the end of a streamed result.</summary>
    StreamEnd = 0x08,

    /// <summary><c>09 | u64 streamId | u32 credit</c>: the consumer is ready for <c>credit</c> more items.</summary>
    StreamCredit = 0x09,

    /// <summary><c>0A | u64 streamId</c>: the consumer stopped enumerating.</summary>
    StreamCancel = 0x0A,
}

/// <summary>Flags of a request.</summary>
[Flags]
internal enum RpcRequestFlags : byte
{
    None = 0,

    /// <summary>No response is expected.</summary>
    OneWay = 1,

    /// <summary>The caller may send a Cancel for this call.</summary>
    Cancelable = 2,

    /// <summary>The result is a stream: the response is a series of StreamItem messages and a StreamEnd.</summary>
    Stream = 4,
}
