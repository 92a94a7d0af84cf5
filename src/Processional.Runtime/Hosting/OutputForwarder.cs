using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Processional;

/// <summary>
/// Reads a slave's standard output and error line by line: forwards each line (prefixed with the slave's name) or logs
/// it, and keeps the last lines of standard error for a crash report.
/// </summary>
internal sealed partial class OutputForwarder
{
    private readonly SlaveOutput _mode;
    private readonly ILogger? _logger;
    private readonly int _tailLength;
    private readonly Queue<string> _tail = new();
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _outputDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public OutputForwarder(SlaveProcessOptions options)
    {
        _mode = options.Output;
        _logger = options.Logger;
        _tailLength = Math.Max(0, options.StandardErrorTail);
        if (_mode == SlaveOutput.Logger && _logger is null)
        {
            throw new ArgumentException("SlaveOutput.Logger needs SlaveProcessOptions.Logger.", nameof(options));
        }
    }

    public string Name { get; set; } = "slave";

    /// <summary>Completes once both streams reached their end (the slave and every process holding them exited).</summary>
    public Task Completion => Task.WhenAll(_outputDone.Task, _errorDone.Task);

    public void Attach(Process process)
    {
        process.OutputDataReceived += (_, e) => OnLine(e.Data, error: false);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, error: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The last lines of standard error, once the stream ended or after at most <paramref name="wait"/>.</summary>
    public async Task<IReadOnlyList<string>> TailAsync(TimeSpan wait)
    {
        await Task.WhenAny(_errorDone.Task, Task.Delay(wait)).ConfigureAwait(false);
        lock (_lock)
        {
            return [.. _tail];
        }
    }

    private void OnLine(string? line, bool error)
    {
        if (line is null)
        {
            (error ? _errorDone : _outputDone).TrySetResult();
            return;
        }

        if (error && _tailLength > 0)
        {
            lock (_lock)
            {
                _tail.Enqueue(line);
                while (_tail.Count > _tailLength)
                {
                    _tail.Dequeue();
                }
            }
        }

        switch (_mode)
        {
            case SlaveOutput.Forward:
                (error ? Console.Error : Console.Out).WriteLine($"[{Name}] {line}");
                break;
            case SlaveOutput.Logger when error:
                LogError(_logger!, Name, line);
                break;
            case SlaveOutput.Logger:
                LogOutput(_logger!, Name, line);
                break;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "[{Slave}] {Line}")]
    private static partial void LogOutput(ILogger logger, string slave, string line);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "[{Slave}] {Line}")]
    private static partial void LogError(ILogger logger, string slave, string line);
}
