using System.Diagnostics;
using Processional.Rpc;
using Processional.Transport;

namespace Processional;

/// <summary>
/// A child process running the same program, connected over a private connection, that runs the lambdas sent to it:
/// calling a function there is as easy as calling it on a <see cref="SlaveThread"/>.
/// </summary>
/// <remarks>
/// <para>
/// <c>slave.Invoke(() => expr)</c> blocks and returns the value; <c>InvokeAsync</c> returns a task at once; a lambda
/// returning a task is awaited in the slave. Captured variables travel by value with the call (Processional's source
/// generator intercepts these calls and writes the captures with generated serializers; what cannot travel is a
/// compile-time error). Calls run in the slave one at a time, in the order sent, on its main thread;
/// <c>RunThreadAsync</c> runs one on a thread of its own instead.
/// </para>
/// <para>
/// <c>WrapAsync</c> keeps a lambda's result in the slave and returns a <see cref="Remote{T}"/> handle;
/// <c>CreateAsync</c> returns a proxy of a [Remote] interface for an object built there; <see cref="Connection"/>
/// exposes and gets [Remote] objects by name in both directions.
/// </para>
/// <para>
/// <see cref="DisposeAsync"/> stops the slave gracefully (its calls in flight finish, or are canceled per
/// <see cref="SlaveProcessOptions.CancelCallsOnStop"/>) and kills it after <see cref="SlaveProcessOptions.StopTimeout"/>;
/// <see cref="Kill"/> stops it at once; a slave nobody references is killed once collected; and a slave whose master
/// dies — even by <c>kill -9</c> — exits by itself, with its own slaves. A slave that crashes fails the calls pending to
/// it with a <see cref="SlaveCrashedException"/> carrying its exit code and the last lines of its standard error.
/// </para>
/// <para>
/// A client of a server is a <see cref="SlaveProcess"/> too (<see cref="ConnectAsync(string, ConnectionOptions?, CancellationToken)"/>,
/// <see cref="StartServerAsync(string, ServerProcessOptions?, CancellationToken)"/>): the same calls reach the server, and
/// disposing it disconnects (docs/servers.md).
/// </para>
/// </remarks>
public sealed partial class SlaveProcess : IAsyncDisposable, IDisposable
{
    private readonly ISlaveCore _core;
    private int _disposed;

    private SlaveProcess(ISlaveCore core) => _core = core;

    /// <summary>The slave's name.</summary>
    public string Name => _core.Name;

    /// <summary>The slave's process id.</summary>
    public int ProcessId => _core.ProcessId;

    /// <summary>The connection to the slave: expose [Remote] objects to it, or get proxies of those it exposes.</summary>
    public RpcConnection Connection => _core.Rpc;

    /// <summary>Completes when the slave process has exited, for whatever reason.</summary>
    public Task Exited => _core.Exited;

    /// <summary>The slave's exit code, once it exited.</summary>
    public int? ExitCode => _core.ExitCode;

    /// <summary>
    /// In a slave process, the connection to its master (expose objects the master can get by name, or get the
    /// master's); <see langword="null"/> in any other process.
    /// </summary>
    public static RpcConnection? MasterConnection => SlaveHost.Master;

    /// <summary>Whether this process is a slave of another.</summary>
    public static bool IsSlave => SlaveHost.Master is not null;

    /// <summary>
    /// Starts a slave process: the same program, started again, that connects back over a private connection (a Unix
    /// socket in a directory only this user can open, authenticated by a one-time secret) and checks that it runs the
    /// same program (the same module version ids).
    /// </summary>
    /// <param name="options">Name, environment, working directory, timeouts and where its output goes.</param>
    /// <param name="cancellationToken">Cancels the start (the half-started slave is killed).</param>
    /// <returns>The slave, ready for calls.</returns>
    /// <exception cref="SlaveCrashedException">The slave exited before it connected (with its exit code and last lines of standard error).</exception>
    /// <exception cref="TimeoutException">The slave did not connect within <see cref="SlaveProcessOptions.StartTimeout"/>.</exception>
    public static async Task<SlaveProcess> StartAsync(SlaveProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= SlaveProcessOptions.Default;
        var output = new OutputForwarder(options);
        await using var listener = await ParentChildConnection.CreateListenerAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

        var info = ChildLauncher.StartInfo(options, listener.EnvironmentVariables.Concat(
        [
            new(SlaveHost.SlaveVariable, options.Name ?? "slave"),
            new(SharedArena.ThresholdVariable, SharedArena.Format(options.SharedArrayThreshold)),
        ]));
        var process = Process.Start(info) ?? throw new InvalidOperationException($"The slave process could not be started ({info.FileName}).");
        var name = options.Name ?? $"slave-{process.Id}";
        output.Name = name;
        process.StandardInput.Close();
        output.Attach(process);
        var core = new SlaveProcessCore(process, output, options, name);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.StartTimeout);
            var accept = listener.AcceptAsync(timeout.Token);
            if (await Task.WhenAny(accept, core.Exited).ConfigureAwait(false) != accept)
            {
                throw await core.StartFailureAsync("failed to start", null).ConfigureAwait(false);
            }

            Connection connection;
            try
            {
                connection = await accept.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var failure = await core.StartFailureAsync("did not connect in time", null).ConfigureAwait(false);
                throw new TimeoutException($"Slave '{name}' did not connect within {options.StartTimeout}. {failure.Message}", failure);
            }
            catch (IOException ex)
            {
                // The slave went away in the middle of the handshake (it failed while making itself ready, which it does
                // while the handshake runs): report it as a start failure, with its exit code and last words.
                throw await core.StartFailureAsync("failed during its handshake", ex).ConfigureAwait(false);
            }

            if (!connection.RemoteIdentity.Program.Equals(ProgramIdentity.Current))
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"Slave '{name}' runs another program than this one (its modules: {connection.RemoteIdentity.Program}); refusing it.");
            }

            core.Connect(connection);
            await core.HelloAsync(cancellationToken).ConfigureAwait(false);
            return new SlaveProcess(core);
        }
        catch
        {
            core.Kill();
            throw;
        }
    }

    /// <summary>Kills the slave (and its own slaves) at once; calls pending to it fail with <see cref="SlaveCrashedException"/>.</summary>
    public void Kill() => _core.Kill();

    /// <summary>
    /// Stops the slave: it finishes its calls in flight (or cancels them, per <see cref="SlaveProcessOptions.CancelCallsOnStop"/>)
    /// and exits; killed if it has not after <see cref="SlaveProcessOptions.StopTimeout"/>. Later calls throw
    /// <see cref="ObjectDisposedException"/>.
    /// </summary>
    /// <returns>A task that completes once the slave has exited.</returns>
    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _disposed, 1);
        GC.SuppressFinalize(this);
        await _core.StopAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the slave, blocking until it exited. See <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override string ToString() => $"slave '{Name}' (process {ProcessId})";

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException(ToString(), $"The {this} is disposed.");
        }
    }

    /// <summary>Kills the slave of a <see cref="SlaveProcess"/> that was dropped without being disposed.</summary>
    ~SlaveProcess() => _core?.Kill();
}
