using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Processional.Tests;

/// <summary>Keeps what a server logs, and signals each new line.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _added = new(0);

    public IReadOnlyCollection<string> Lines => _lines;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        _lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
        _added.Release();
    }

    /// <summary>Waits until a line containing <paramref name="text"/> was logged.</summary>
    public async Task WaitForAsync(string text)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Patience);
        while (!_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            await _added.WaitAsync(timeout.Token);
        }
    }
}
