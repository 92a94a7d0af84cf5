using Processional.Serialization;

namespace Processional.Rpc;

/// <summary>The caller's <see cref="IProgress{T}"/> of a call in flight, fed by Progress messages.</summary>
internal abstract class ProgressSink
{
    /// <summary>Reads one report and passes it on, on the connection's reading thread.</summary>
    public abstract void Report(ref ProcessionalReader reader);
}

internal sealed class ProgressSink<T>(IProgress<T> progress) : ProgressSink
{
    public override void Report(ref ProcessionalReader reader) => progress.Report(reader.ReadValue<T>()!);
}
