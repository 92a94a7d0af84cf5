using Processional.Rpc;

namespace Processional;

/// <summary>
/// What a <see cref="SlaveProcess"/> stands on: a slave process it started (<see cref="SlaveProcessCore"/>) or a
/// connection to a server (<see cref="ServerClientCore"/>).
/// </summary>
internal interface ISlaveCore
{
    string Name { get; }

    int ProcessId { get; }

    RpcConnection Rpc { get; }

    Task Exited { get; }

    int? ExitCode { get; }

    void Kill();

    Task StopAsync();
}
