namespace Processional.Transport;

/// <summary>Who is at the other end of a connection, as it said in the handshake.</summary>
public sealed class PeerIdentity
{
    /// <summary>Creates a peer identity.</summary>
    /// <param name="processId">The peer's process id.</param>
    /// <param name="program">The code the peer runs.</param>
    public PeerIdentity(int processId, ProgramIdentity program)
    {
        ArgumentNullException.ThrowIfNull(program);
        ProcessId = processId;
        Program = program;
    }

    /// <summary>The peer's process id (on its own machine).</summary>
    public int ProcessId { get; }

    /// <summary>The code the peer runs: compare with <see cref="ProgramIdentity.Current"/> to know whether both ends run the same build.</summary>
    public ProgramIdentity Program { get; }

    /// <inheritdoc/>
    public override string ToString() => $"process {ProcessId}";
}
