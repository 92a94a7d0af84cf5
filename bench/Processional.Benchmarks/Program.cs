using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Processional.Benchmarks -- --filter '*SlaveThread*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
