// The Python original's examples, one after the other. Run one alone with its name:
//   dotnet run --project samples/Processional.Samples -- slave-thread
using Processional.Samples;

var examples = new (string Name, string Title, Func<Task> Run)[]
{
    ("thread", "1. A thread with a result", ThreadExample.RunAsync),
    ("slave-thread", "2. A slave thread that owns a heavy resource", SlaveThreadExample.RunAsync),
    ("slave-process", "3. A slave process that owns a heavy resource", SlaveProcessExample.RunAsync),
    ("server", "4. A server process shared by several processes", ServerExample.RunAsync),
};

var selected = args.Length == 0 ? examples : examples.Where(e => args.Contains(e.Name, StringComparer.OrdinalIgnoreCase)).ToArray();
if (selected.Length == 0)
{
    Console.Error.WriteLine($"Unknown example '{string.Join(' ', args)}'. Known: {string.Join(", ", examples.Select(e => e.Name))}.");
    return 2;
}

foreach (var (_, title, run) in selected)
{
    Console.WriteLine($"== {title}");
    await run();
    Console.WriteLine();
}

return 0;
