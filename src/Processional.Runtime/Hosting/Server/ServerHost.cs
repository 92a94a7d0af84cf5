using Processional.Transport;

namespace Processional;

/// <summary>
/// The server's side of <see cref="SlaveProcess.StartServerAsync(string, ServerProcessOptions?, CancellationToken)"/>:
/// the same program, started again with the runtime as a startup hook, serves on the endpoint it was given, running
/// its clients' lambdas on the process's main thread, until it is stopped (or, unless persistent, its last client
/// left); then the process exits without running the program's own entry point.
/// </summary>
internal static class ServerHost
{
    /// <summary>The endpoint to serve; its presence makes the startup hook take over.</summary>
    public const string EndpointVariable = "PROCESSIONAL_SERVER";

    /// <summary>The options, as <c>flags;startTimeoutMilliseconds</c> (flags: p persistent, l lambdas allowed, n lambdas refused, s clients may stop).</summary>
    public const string OptionsVariable = "PROCESSIONAL_SERVER_OPTIONS";

    public const int ExitStopped = 0;
    public const int ExitStartFailed = 71;

    public static bool IsServer => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EndpointVariable));

    public static string EncodeOptions(ServerProcessOptions options, TimeSpan startTimeout) =>
        (options.Persistent ? "p" : string.Empty)
        + (options.AllowLambdas switch { true => "l", false => "n", null => string.Empty })
        + (options.ClientsMayStop ? "s" : string.Empty)
        + ";" + ((long)startTimeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Serves on the calling (main) thread; never returns.</summary>
    public static void Run()
    {
        var endpointText = Environment.GetEnvironmentVariable(EndpointVariable)!;
        var optionsText = Environment.GetEnvironmentVariable(OptionsVariable) ?? string.Empty;
        ChildLauncher.AdoptProgramIdentity();
        ForgetEnvironment();
        var main = SlaveThread.CreateForCurrentThread("server main");
        ProcessionalServer server;
        var persistent = false;
        TimeSpan startTimeout;
        try
        {
            var parts = optionsText.Split(';');
            var flags = parts[0];
            persistent = flags.Contains('p', StringComparison.Ordinal);
            startTimeout = TimeSpan.FromMilliseconds(parts.Length > 1 ? long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 30_000);

            // The secret comes on standard input (one line of base64, empty for none), never on the command line.
            var secretLine = Console.In.ReadLine() ?? string.Empty;
            var connection = new ConnectionOptions { Secret = secretLine.Length == 0 ? default : Convert.FromBase64String(secretLine) };
            var options = new ProcessionalServerOptions
            {
                Connection = connection,
                AllowLambdas = flags.Contains('l', StringComparison.Ordinal) ? true : flags.Contains('n', StringComparison.Ordinal) ? false : null,
                ClientsMayStop = flags.Contains('s', StringComparison.Ordinal),
                StopWhenLastClientDisconnects = !persistent,
            };
            server = ProcessionalServer.ListenAsync(Endpoint.Parse(endpointText), options, main, CancellationToken.None).GetAwaiter().GetResult();
        }
#pragma warning disable CA1031 // Anything that stops the server from starting is reported through standard error and the exit code.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"Processional server on {endpointText} could not start: {ex.Message}");
            Console.Error.Flush();
            Environment.Exit(ExitStartFailed);
            return;
        }

        ProcessionalServer.Current = server;
        if (!persistent)
        {
            // Nobody ever connected (the process that started it died first): do not wait forever.
            _ = Task.WhenAny(server.FirstClient, Task.Delay(startTimeout)).ContinueWith(
                first => { if (!server.FirstClient.IsCompleted) { _ = server.StopAsync(); } },
                TaskScheduler.Default);
        }

        server.Completion.ContinueWith(_ => main.RequestStopInternal(), TaskScheduler.Default);
        main.RunLoopHere();
        Console.Out.Flush();
        Console.Error.Flush();
        Environment.Exit(ExitStopped);
    }

    /// <summary>Children the server starts must not become servers themselves.</summary>
    private static void ForgetEnvironment()
    {
        Environment.SetEnvironmentVariable(EndpointVariable, null);
        Environment.SetEnvironmentVariable(OptionsVariable, null);
        ChildLauncher.ForgetLaunchEnvironment();
    }
}
