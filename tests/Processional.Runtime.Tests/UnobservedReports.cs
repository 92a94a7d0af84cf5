namespace Processional.Tests;

/// <summary>
/// Captures the failures reported through <see cref="UnobservedExceptions.Reported"/> whose message contains a marker,
/// so that tests running in parallel only see their own.
/// </summary>
internal sealed class UnobservedReports : IDisposable
{
    private readonly string _marker;
    private readonly TaskCompletionSource<UnobservedExceptionEventArgs> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _markObserved;
    private int _count;

    public UnobservedReports(string marker, bool markObserved = true)
    {
        _marker = marker;
        _markObserved = markObserved;
        UnobservedExceptions.Reported += OnReported;
    }

    public Task<UnobservedExceptionEventArgs> First => _first.Task;

    public int Count => Volatile.Read(ref _count);

    public void Dispose() => UnobservedExceptions.Reported -= OnReported;

    private void OnReported(object? sender, UnobservedExceptionEventArgs e)
    {
        if (!e.Exception.ToString().Contains(_marker, StringComparison.Ordinal))
        {
            return;
        }

        if (_markObserved)
        {
            e.SetObserved();
        }

        Interlocked.Increment(ref _count);
        _first.TrySetResult(e);
    }
}
