using Processional.Generators.Tests.Infrastructure;

namespace Processional.Generators.Tests;

/// <summary>
/// The generated proxy, dispatcher and registration of [Remote] interfaces of each shape (and the formatters and
/// exception registrations generated with them), compared with the files in <c>Baselines/</c>; each output is compiled
/// and must be free of warnings.
/// </summary>
public sealed class RemoteBaselineTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Processional;

        namespace Shop;

        """;

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Remote_return_kinds() => VerifyAsync(nameof(Remote_return_kinds), """
        [Remote]
        public interface ICalculator
        {
            Task ResetAsync();
            Task<int> AddAsync(int a, int b);
            ValueTask ClearAsync();
            ValueTask<long> TotalAsync();
            IAsyncEnumerable<int> CountAsync(int count);
            int Add(int a, int b);
            string? Describe();
            void Reset();
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Remote_parameter_kinds() => VerifyAsync(nameof(Remote_parameter_kinds), """
        public enum Kind : byte { A, B }
        public struct Point { public int X; public int Y; }
        public sealed record Order(int Id, string Customer, List<Line> Lines);
        public sealed record Line(string Sku, int Quantity);

        [Remote]
        public interface IInventory
        {
            Task StoreAsync(int count, double weight, Kind kind, Point at, Guid id, decimal price);
            Task RenameAsync(string name, string? alias, string @event);
            Task LoadAsync(byte[] blob, Point[]? path, int?[] maybe);
            Task<Order?> SubmitAsync(Order order, Order? previous, List<Line> lines, Dictionary<string, int>? counts);
            Task<(int Count, string? Name)> CountAsync((int Low, int High) range, DateTime since, TimeSpan? within);
            Task SumAsync(params int[] values);
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Remote_one_way_methods() => VerifyAsync(nameof(Remote_one_way_methods), """
        [Remote]
        public interface ILog
        {
            [OneWay] void Write(string line);
            [OneWay] Task FlushAsync();
            [OneWay] ValueTask ClearAsync(CancellationToken cancellationToken = default);
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Remote_progress_and_cancellation() => VerifyAsync(nameof(Remote_progress_and_cancellation), """
        public sealed record Step(int Done, string Note);

        [Remote]
        public interface IJob
        {
            Task<int> RunAsync(int steps, IProgress<int> progress, CancellationToken cancellationToken = default);
            Task CopyAsync(string path, IProgress<Step>? progress, IProgress<double> ratio, CancellationToken cancellationToken);
            int Wait(CancellationToken cancellationToken);
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Remote_streams() => VerifyAsync(nameof(Remote_streams), """
        public sealed record Reading(string Sensor, double Value);

        [Remote]
        public interface ISensors
        {
            IAsyncEnumerable<Reading> WatchAsync(string sensor, CancellationToken cancellationToken = default);
            IAsyncEnumerable<string?> NamesAsync();
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Remote_callbacks_and_remote_results() => VerifyAsync(nameof(Remote_callbacks_and_remote_results), """
        [Remote]
        public interface IListener
        {
            ValueTask OnChangedAsync(string what);
        }

        [Remote]
        public interface ISession
        {
            Task SubscribeAsync(IListener listener, IListener? fallback);
            ISession Fork(string name);
            ISession? Parent();
            Task<ISession> OpenAsync(string name);
            ValueTask<IListener?> FindAsync(string name);
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Remote_inheritance_and_overloads() => VerifyAsync(nameof(Remote_inheritance_and_overloads), """
        public interface IBase
        {
            Task<int> GetAsync(int id);
            Task<int> GetAsync(string name);
            int Version => 1;
            static int Count() => 0;
        }

        [Remote]
        public interface INamed
        {
            string Name();
            Task<int> GetAsync(int id);
        }

        [Remote]
        public interface IStore : IBase, INamed, IAsyncDisposable, IDisposable
        {
            new Task<int> GetAsync(int id);
            Task<int> GetAsync(int id, CancellationToken cancellationToken);
            Task<int> GetAsync(long id);
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Remote_properties_and_indexers() => VerifyAsync(nameof(Remote_properties_and_indexers), """
        [Remote]
        public interface ISettings
        {
            string Name { get; }
            int? Retries { get; }
            Task<string[]> KeysAsync { get; }
            string? this[string key] { get; }
            int this[int index, bool strict] { get; }
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Remote_nested_interface_and_exception_types() => VerifyAsync(nameof(Remote_nested_interface_and_exception_types), """
        public static class Api
        {
            [Remote]
            public interface IPing { Task<string> PingAsync(string text); }

            internal sealed class PingFailedException(string message, Exception? inner) : Exception(message, inner);
        }

        public class OrderRejectedException : InvalidOperationException
        {
            public OrderRejectedException(string message) : base(message) { }
            public OrderRejectedException(string message, Exception innerException) : base(message, innerException) { }
        }

        internal sealed class QuotaException(string message) : Exception(message);

        // Not registered: abstract, generic, private, and without a (string) constructor.
        public abstract class AbstractException(string message) : Exception(message);
        public sealed class GenericException<T>(string message) : Exception(message);
        public static class Holder { private sealed class HiddenException(string message) : Exception(message); }
        public sealed class CodedException(int code) : Exception(code.ToString());
        """);

    private static Task VerifyAsync(string name, string source)
    {
        var compilation = GeneratorHarness.CreateCompilation(Usings + source);
        var (result, output) = GeneratorHarness.RunAllGenerators(compilation);

        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Baseline.Verify(name, result);
        return Task.CompletedTask;
    }
}
