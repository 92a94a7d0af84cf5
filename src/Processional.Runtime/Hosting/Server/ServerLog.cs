using Microsoft.Extensions.Logging;

namespace Processional;

/// <summary>What a <see cref="ProcessionalServer"/> logs.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Serving on {Endpoint}")]
    public static partial void Listening(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Client {Client} connected (process {ProcessId}, lambdas {Lambdas}); {Count} connected")]
    public static partial void ClientConnected(ILogger logger, long client, int processId, string lambdas, int count);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Client {Client} disconnected; {Count} connected")]
    public static partial void ClientDisconnected(ILogger logger, long client, int count);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Client {Client}'s connection broke: {Reason}; {Count} connected")]
    public static partial void ClientFailed(ILogger logger, long client, string reason, int count, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Refused a connection from {Remote}: {Reason}")]
    public static partial void HandshakeFailed(ILogger logger, string remote, string reason, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Stopping the server on {Endpoint}")]
    public static partial void Stopping(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "The listener on {Endpoint} failed")]
    public static partial void ListenerFailed(ILogger logger, string endpoint, Exception exception);
}
