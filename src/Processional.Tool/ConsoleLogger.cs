using Microsoft.Extensions.Logging;

namespace Processional.Tool;

/// <summary>Writes the server's log to standard error, one line each: <c>info: message</c>.</summary>
internal sealed class ConsoleLogger(LogLevel minimum) : ILogger
{
    private static readonly Lock s_lock = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var level = logLevel switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
        lock (s_lock)
        {
            Console.Error.WriteLine($"{level}: {formatter(state, exception)}");
        }
    }
}
