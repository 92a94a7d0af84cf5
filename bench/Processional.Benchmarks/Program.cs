using BenchmarkDotNet.Running;
using Processional.Benchmarks.Rpc;
using Processional.Benchmarks.Slaves;
using Processional.Benchmarks.Transport;

// dotnet run -c Release --project bench/Processional.Benchmarks -- --filter '*SlaveThread*'
// The transport benchmarks start this program again as their peer process: --peer RAW_PATH MUX_PATH.
if (args.Length == 3 && args[0] == "--peer")
{
    return await BenchPeer.RunAsync(args[1], args[2]);
}

if (args.Length == 3 && args[0] == "--rpc-peer")
{
    return await RpcBenchPeer.RunAsync(args[1], args[2]);
}

// The slave benchmarks' bare process, and the idle-memory comparison (not a BenchmarkDotNet measurement).
if (args.Length == 2 && args[0] == "--hello")
{
    return HelloProcess.Run(args[1]);
}

if (args.Length == 1 && args[0] == "--slave-memory")
{
    return await SlaveMemory.RunAsync();
}

if (args.Length is 1 or 2 && args[0] == "--slave-start-pairs")
{
    return await SlaveStartPairs.RunAsync(args.Length == 2 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40);
}

if (args.Length == 5 && args[0] == "--server-peer")
{
    return await Processional.Benchmarks.Server.ServerBenchPeer.RunAsync(args[1], args[2], args[3], args[4]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
