using System.Diagnostics;
using Processional.Hosting;
using Processional.Rpc;
using Processional.Transport;

namespace Processional;

/// <summary>
/// A <see cref="SlaveProcess"/> that is a client of a server: the connection to it and, for a server this process
/// spawned, the server's process. Disposing it disconnects (a spawned server that is not persistent then exits once its
/// last client is gone); <see cref="Kill"/> kills a spawned server that is not persistent, and only disconnects from any other.
/// </summary>
internal sealed class ServerClientCore : ISlaveCore
{
    private readonly Process? _process;
    private readonly bool _persistent;
    private RpcConnection? _rpc;

    public ServerClientCore(string name, int processId, Process? process, bool persistent = false)
    {
        _persistent = persistent;
        Name = name;
        ProcessId = processId;
        _process = process;
    }

    public string Name { get; }

    public int ProcessId { get; }

    public RpcConnection Rpc => _rpc ?? throw new InvalidOperationException($"{Name} is not connected.");

    /// <summary>Completes when the connection to the server is closed.</summary>
    public Task Exited => Rpc.Completion;

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>Whether the server runs the lambdas this client sends (it answered the hello).</summary>
    public bool AcceptsLambdas { get; private set; }

    public void Connect(Connection connection) =>
        _rpc = RpcOverMultiplexer.Start(connection, new RpcConnectionOptions { Name = Name });

    /// <summary>
    /// Tells the server where this program's assemblies are, for the lambdas it will send; a server that takes no
    /// lambdas from this client refuses, and the lambdas then fail with its reason.
    /// </summary>
    public async Task HelloAsync(CancellationToken cancellationToken)
    {
        var call = SlaveControl.BeginHello(Rpc, cancellationToken);

        try
        {
            await call.SendAsync<int>().ConfigureAwait(false);
            AcceptsLambdas = true;
        }
        catch (UnauthorizedAccessException)
        {
            AcceptsLambdas = false;
        }
    }

    public void Kill()
    {
        try
        {
            if (!_persistent && _process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }

        _ = _rpc?.DisposeAsync().AsTask();
    }

    /// <summary>Once the server stops, waits for the process of a server this process started to exit, and the connection to close.</summary>
    public async Task WaitForServerExitAsync(CancellationToken cancellationToken)
    {
        await Rpc.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_process is not null)
        {
            await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task StopAsync()
    {
        if (_rpc is not null)
        {
            await _rpc.DisposeAsync().ConfigureAwait(false);
        }
    }
}
