using Processional.Generators.Tests.Infrastructure;

namespace Processional.Generators.Tests;

/// <summary>
/// The interceptors and <c>RemoteLambda</c> classes generated for lambdas shipped to other processes (and the formatters
/// generated for what they send by value), compared with the files in <c>Baselines/</c>; each output is compiled and
/// must be free of warnings.
/// </summary>
public sealed class LambdaBaselineTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Processional;

        namespace Shop;

        """;

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Lambda_each_intercepted_method() => VerifyAsync(nameof(Lambda_each_intercepted_method), """
        [Remote]
        public interface ICounter { int Add(int delta); }

        public sealed class Counter(int start) : ICounter
        {
            private int _value = start;

            public int Add(int delta) => _value += delta;
        }

        public static class Calls
        {
            public static async Task RunAsync(SlaveProcess slave, CancellationToken cancellationToken)
            {
                int a = slave.Invoke(() => 1);
                slave.Invoke(() => Console.WriteLine("hello"), cancellationToken);
                int b = await slave.InvokeAsync(() => 2);
                int c = await slave.InvokeAsync(async () => { await Task.Yield(); return 3; });
                await slave.InvokeAsync(() => Console.WriteLine("queued"));
                await slave.InvokeAsync(async () => await Task.Yield(), cancellationToken);
                using Remote<List<int>> list = await slave.WrapAsync(() => new List<int> { 1, 2, 3 });
                ICounter counter = await slave.CreateAsync<ICounter>(() => new Counter(5));
                string? name = await slave.RunThreadAsync(() => Thread.CurrentThread.Name);
                await slave.RunThreadAsync(() => Thread.Sleep(1));
                Console.WriteLine($"{a} {b} {c} {name} {counter}");
            }
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Lambda_captures_of_each_kind() => VerifyAsync(nameof(Lambda_captures_of_each_kind), """
        public sealed record Line(string Sku, int Quantity);
        public enum Kind : byte { A, B }
        public struct Point { public int X; public int Y; }

        [Remote]
        public interface IListener { void OnChanged(string what); }

        public sealed class Report
        {
            public string Title { get; set; } = "";

            public Task<string> RenderAsync(SlaveProcess slave) => slave.InvokeAsync(() => Title.ToUpperInvariant());
        }

        public static class Calls
        {
            public static async Task<int> RunAsync(SlaveProcess slave, IListener listener, Remote<List<Line>> lines)
            {
                var n = 7;
                long big = 8;
                var kind = Kind.B;
                var point = new Point { X = 1, Y = 2 };
                var text = "abc";
                string? maybe = null;
                byte[] blob = [1, 2];
                var line = new Line("a", 1);
                var list = new List<Line> { line };
                var map = new Dictionary<string, int?> { ["a"] = 1 };
                var none = await slave.InvokeAsync(() => 0);
                var all = await slave.InvokeAsync(() => n + (int)big + (int)kind + point.X + text.Length + (maybe?.Length ?? 0) + blob.Length + line.Quantity + list.Count + (map["a"] ?? 0));
                var remote = await slave.InvokeAsync(() =>
                {
                    listener.OnChanged("x");
                    return lines.Value.Count;
                });
                var outer = 1;
                {
                    var inner = 2;
                    none += await slave.InvokeAsync(() => outer + inner);
                }

                return none + all + remote;
            }
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Lambda_top_level_statements()
    {
        var compilation = GeneratorHarness.CreateExecutable("""
            using Processional;

            await using var slave = await SlaveProcess.StartAsync();
            var n = 20;
            System.Console.WriteLine(await slave.InvokeAsync(() => n + 22));
            """);
        return VerifyAsync(nameof(Lambda_top_level_statements), compilation);
    }

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Lambda_written_in_members_of_each_kind() => VerifyAsync(nameof(Lambda_written_in_members_of_each_kind), """
        public sealed class Holder
        {
            private static readonly SlaveProcess? s_slave = null;
            private readonly int _fromField = s_slave?.Invoke(() => 1) ?? 0;

            public Holder(SlaveProcess slave)
            {
                var seed = 3;
                Seed = slave.Invoke(() => seed);
            }

            public int Seed { get; }

            public int Value => s_slave!.Invoke(() => 4);

            public static int operator +(Holder left, int right) => s_slave!.Invoke(() => right);

            public async Task<int> LaterAsync(SlaveProcess slave)
            {
                await Task.Yield();
                var late = 5;
                return await slave.InvokeAsync(() => late) + _fromField;
            }

            public IEnumerable<int> Iterate(SlaveProcess slave)
            {
                var step = 6;
                yield return slave.Invoke(() => step);
            }

            public int WithLocalFunction(SlaveProcess slave)
            {
                var seven = 7;
                return Local();

                int Local() => slave.Invoke(() => seven);
            }
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Lambda_remote_parameters_and_method_groups() => VerifyAsync(nameof(Lambda_remote_parameters_and_method_groups), """
        public sealed class Jobs
        {
            public Task<int> Submit([Remote] Func<int> work, string name) => Task.FromResult(name.Length);

            public static void Post([Remote] Action work, [Remote] Func<Task<string>> next) { }
        }

        public static class JobExtensions
        {
            public static Task RunAsync(this SlaveProcess slave, [Remote] Func<Task> work) => slave.InvokeAsync(work);
        }

        public static class Calls
        {
            public static async Task RunAsync(SlaveProcess slave, Jobs jobs)
            {
                var n = 2;
                await jobs.Submit(() => n * 21, "answer");
                Jobs.Post(() => Console.WriteLine(n), async () => { await Task.Yield(); return "next"; });
                await slave.RunAsync(async () => await Task.Delay(n));
                await slave.InvokeAsync(ProcessId);
            }

            public static int ProcessId() => Environment.ProcessId;
        }
        """);

    [Fact(Timeout = TestTimeouts.Compile)]
    public Task Interceptors_for_oblivious_nullable_and_tuple_types_compile_without_warnings()
    {
        var compilation = GeneratorHarness.CreateCompilation("""
            #nullable disable
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Processional;

            namespace Shop;

            public static class Calls
            {
                public static Task<List<string>> RunAsync(SlaveProcess slave, string s, List<string> l) => slave.InvokeAsync(() => new List<string> { s, l[0] });

                public static (int A, string B) Tuple(SlaveProcess slave) => slave.Invoke(() => (A: 1, B: "x"));
            }
            """);

        var (result, output) = GeneratorHarness.RunAllGenerators(compilation);

        Assert.Single(GeneratorHarness.ResultOf<Lambdas.LambdaGenerator>(result).GeneratedSources);
        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        return Task.CompletedTask;
    }

    private static Task VerifyAsync(string name, string source) => VerifyAsync(name, GeneratorHarness.CreateCompilation(Usings + source));

    private static Task VerifyAsync(string name, Microsoft.CodeAnalysis.Compilation compilation)
    {
        Assert.Empty(GeneratorHarness.WarningsAndErrors(compilation));
        var (result, output) = GeneratorHarness.RunAllGenerators(compilation);

        Assert.Empty(GeneratorHarness.WarningsAndErrors(output));
        Baseline.Verify(name, result);
        return Task.CompletedTask;
    }
}
