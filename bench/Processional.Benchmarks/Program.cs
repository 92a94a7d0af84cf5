using BenchmarkDotNet.Running;
using Processional.Benchmarks.Rpc;
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

if (args.Length == 5 && args[0] == "--server-peer")
{
    return await Processional.Benchmarks.Server.ServerBenchPeer.RunAsync(args[1], args[2], args[3], args[4]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
