// processional: the command line of Processional. `processional serve --help` lists the options.
using System.CommandLine;
using Processional.Tool;

var root = new RootCommand("Processional: serve the [Remote] objects an assembly exposes to clients on other processes and machines.")
{
    ServeCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"processional: {error.Message}");
    }

    Console.Error.WriteLine("Run 'processional --help' (or 'processional serve --help') for the usage.");
    return ServeCommand.ExitUsage;
}

// Ctrl-C and SIGTERM stop the server gracefully (ServeCommand handles them), and the exit code is then 0.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
