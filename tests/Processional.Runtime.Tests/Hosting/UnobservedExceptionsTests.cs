using System.Runtime.CompilerServices;

namespace Processional.Tests.Hosting;

/// <summary>These tests replace the process's standard error, so they run alone.</summary>
[CollectionDefinition(nameof(StandardErrorCollection), DisableParallelization = true)]
public sealed class StandardErrorCollection;

[Collection(nameof(StandardErrorCollection))]
public sealed class UnobservedExceptionsTests
{
    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_failure_no_handler_observed_is_written_to_standard_error()
    {
        var marker = $"stderr-{Guid.NewGuid():N}";
        using var reports = new UnobservedReports(marker, markObserved: false);
        var original = Console.Error;
        var captured = new StringWriter();
        Console.SetError(TextWriter.Synchronized(captured));
        try
        {
            StartFailingJobAndForgetIt(marker);
            await GcHelper.CollectUntilAsync(() => reports.First.IsCompleted, "the failure to be reported");
        }
        finally
        {
            Console.SetError(original);
        }

        var text = captured.ToString();
        Assert.Contains("Processional: unobserved failure in BackgroundThread '", text, StringComparison.Ordinal);
        Assert.Contains(marker, text, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_failure_a_handler_observed_or_with_writing_off_is_not_written()
    {
        var original = Console.Error;
        var captured = new StringWriter();
        Console.SetError(TextWriter.Synchronized(captured));
        using var slave = new SlaveThread();
        try
        {
            var observed = $"observed-{Guid.NewGuid():N}";
            using (var reports = new UnobservedReports(observed, markObserved: true))
            {
                slave.SynchronizationContext.Post(_ => throw new InvalidOperationException(observed), null);
                await reports.First;
            }

            var silenced = $"silenced-{Guid.NewGuid():N}";
            UnobservedExceptions.WriteToStandardError = false;
            using (var reports = new UnobservedReports(silenced, markObserved: false))
            {
                slave.SynchronizationContext.Post(_ => throw new InvalidOperationException(silenced), null);
                await reports.First;
            }

            // The slave thread reports before it runs the next item: once this returns, both reports are written.
            await slave.InvokeAsync(() => { });
            Assert.DoesNotContain(observed, captured.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(silenced, captured.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            UnobservedExceptions.WriteToStandardError = true;
            Console.SetError(original);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StartFailingJobAndForgetIt(string marker) =>
        BackgroundThread.Run(() => throw new InvalidOperationException(marker));
}
