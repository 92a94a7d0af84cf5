using System.Diagnostics;
using Processional.Hosting;
using Processional.Rpc;
using Processional.Transport;

namespace Processional;

/// <summary>
/// The process, connection and output of a <see cref="SlaveProcess"/>. The connection's threads and the process's
/// events reference only this object, never the <see cref="SlaveProcess"/> facade, so that a facade nobody references
/// can be collected and its finalizer can kill the slave.
/// </summary>
internal sealed class SlaveProcessCore : ISlaveCore
{
    private readonly Process _process;
    private readonly OutputForwarder _output;
    private readonly SlaveProcessOptions _options;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RpcConnection? _rpc;
    private int _stopping;

    public SlaveProcessCore(Process process, OutputForwarder output, SlaveProcessOptions options, string name)
    {
        _process = process;
        _output = output;
        _options = options;
        Name = name;
        ProcessId = process.Id;
        _ = WatchExitAsync();
    }

    public string Name { get; }

    public int ProcessId { get; }

    public SlaveProcessOptions Options => _options;

    public RpcConnection Rpc => _rpc ?? throw new InvalidOperationException($"Slave '{Name}' is not connected.");

    public Task Exited => _exited.Task;

    public bool IsStopping => Volatile.Read(ref _stopping) != 0;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public void Connect(Connection connection)
    {
        var options = new RpcConnectionOptions
        {
            Name = $"connection to slave '{Name}'",
            Serializer = SharedArena.SerializerOptions(_options.SharedArrayThreshold),
        };
        _rpc = RpcOverMultiplexer.Start(connection, options, TranslateCloseReasonAsync);
    }

    /// <summary>Tells the slave where the program's assemblies are (it loads them on demand) and waits for its answer.</summary>
    public async Task HelloAsync(CancellationToken cancellationToken)
    {
        var call = SlaveControl.BeginHello(Rpc, cancellationToken);

        var pid = await call.SendAsync<int>().ConfigureAwait(false);
        if (pid != ProcessId)
        {
            throw new InvalidOperationException($"Slave '{Name}' answered from process {pid}, not {ProcessId}.");
        }
    }

    /// <summary>Stops the slave: it finishes (or cancels) its calls in flight and exits; killed after the stop timeout.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            await _exited.Task.ConfigureAwait(false);
            return;
        }

        using var timeout = new CancellationTokenSource(_options.StopTimeout);
        if (_rpc is { IsOpen: true } rpc)
        {
            try
            {
                var call = rpc.BeginCall(SlaveControl.ThreadsId, SlaveControl.Stop, timeout.Token);
                call.Writer.WriteUnmanaged(_options.CancelCallsOnStop);
                await call.SendAsync().ConfigureAwait(false);
                await _exited.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Whatever prevents a graceful stop ends in a kill.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        Kill();
        await _exited.Task.ConfigureAwait(false);
        if (_rpc is not null)
        {
            await _rpc.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Kills the slave and its own slaves at once.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exiting already.
        }
    }

    /// <summary>Failure of a slave that did not start.</summary>
    public async Task<Exception> StartFailureAsync(string what, Exception? inner)
    {
        var exited = await WaitForExitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        var tail = await _output.TailAsync(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
        return new SlaveCrashedException(Name, exited ? _process.ExitCode : null, tail, what, inner);
    }

    /// <summary>
    /// Why pending calls fail once the connection is gone: the slave was stopped on purpose, or it crashed — then with
    /// its exit code and the last lines of its standard error, once it is known to have exited (up to a second).
    /// </summary>
    private async Task<Exception> TranslateCloseReasonAsync(Exception reason)
    {
        if (IsStopping)
        {
            return new ObjectDisposedException(Name, $"Slave '{Name}' was stopped while the call was pending.");
        }

        var exited = await WaitForExitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        var tail = await _output.TailAsync(TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
        return new SlaveCrashedException(Name, exited ? _process.ExitCode : null, tail, "ended while calls to it were pending", reason);
    }

    private async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        await Task.WhenAny(_exited.Task, Task.Delay(timeout)).ConfigureAwait(false);
        return _exited.Task.IsCompleted;
    }

    private async Task WatchExitAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _exited.TrySetResult();
    }
}
