using System.CommandLine;
using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Processional.Transport;

namespace Processional.Tool;

/// <summary><c>processional serve</c>: loads an assembly, lets its <see cref="IProcessionalStartup"/> classes expose objects, and serves them.</summary>
internal static class ServeCommand
{
    /// <summary>Exit code of bad arguments (and of an assembly that cannot be served).</summary>
    public const int ExitUsage = 2;

    /// <summary>Exit code of a server that could not start for another reason (the address is in use).</summary>
    public const int ExitFailed = 1;

    private static readonly Option<string> s_endpoint = new("--endpoint", "-e")
    {
        Description = "Where to listen: unix:/path/app.sock or tcp://host:port (TCP needs --secret-file, or --tls-cert with --require-client-cert).",
        Required = true,
    };

    private static readonly Option<FileInfo> s_assembly = new("--assembly", "-a")
    {
        Description = "The assembly whose IProcessionalStartup classes expose the objects to serve.",
        Required = true,
    };

    private static readonly Option<FileInfo?> s_secretFile = new("--secret-file")
    {
        Description = "A file holding the shared secret clients must prove they know (UTF-8 text, surrounding whitespace ignored, 16 to 1024 bytes).",
    };

    private static readonly Option<bool> s_persistent = new("--persistent")
    {
        Description = "Keep serving after the last client disconnected (by default the server exits then).",
    };

    private static readonly Option<FileInfo?> s_tlsCert = new("--tls-cert")
    {
        Description = "Serve TCP over TLS with this certificate and private key (a PKCS#12 .pfx file).",
    };

    private static readonly Option<FileInfo?> s_tlsPasswordFile = new("--tls-cert-password-file")
    {
        Description = "A file holding the password of the --tls-cert file.",
    };

    private static readonly Option<bool> s_requireClientCert = new("--require-client-cert")
    {
        Description = "With --tls-cert: clients must present a certificate the system trusts.",
    };

    private static readonly Option<bool> s_clientsMayStop = new("--clients-may-stop")
    {
        Description = "Let clients stop the server (SlaveProcess.StopServerAsync).",
    };

    private static readonly Option<bool> s_quiet = new("--quiet", "-q")
    {
        Description = "Log only warnings and errors.",
    };

    public static Command Create()
    {
        var command = new Command("serve", "Serve the objects an assembly exposes until Ctrl-C, SIGTERM, or (unless --persistent) the last client leaves.")
        {
            s_endpoint, s_assembly, s_secretFile, s_persistent, s_tlsCert, s_tlsPasswordFile, s_requireClientCert, s_clientsMayStop, s_quiet,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var logger = new ConsoleLogger(parse.GetValue(s_quiet) ? LogLevel.Warning : LogLevel.Information);
        ProcessionalServerOptions options;
        Endpoint endpoint;
        FileInfo assembly;
        try
        {
            endpoint = ParseEndpoint(parse.GetValue(s_endpoint)!);
            assembly = parse.GetValue(s_assembly)!;
            if (!assembly.Exists)
            {
                throw new UsageException($"--assembly: no file at {assembly.FullName}.");
            }

            options = new ProcessionalServerOptions
            {
                Connection = ConnectionOptionsFrom(parse, endpoint),
                StopWhenLastClientDisconnects = !parse.GetValue(s_persistent),
                ClientsMayStop = parse.GetValue(s_clientsMayStop),

                // Clients never run the tool's own program, so their lambdas could not run here anyway.
                AllowLambdas = false,
                Logger = logger,
            };
        }
        catch (UsageException ex)
        {
            return Usage(ex.Message);
        }

        IReadOnlyList<IProcessionalStartup> startups;
        try
        {
            startups = LoadStartups(assembly.FullName);
        }
        catch (UsageException ex)
        {
            return Usage(ex.Message);
        }

        ProcessionalServer server;
        try
        {
            server = await ProcessionalServer.ListenAsync(endpoint, options, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"processional serve: cannot serve on {endpoint}: {ex.Message}").ConfigureAwait(false);
            return ExitFailed;
        }

        await using (server.ConfigureAwait(false))
        {
            foreach (var startup in startups)
            {
                startup.Configure(server);
            }

            // Ctrl-C and SIGTERM stop the server gracefully: clients are disconnected, the socket file removed, exit code 0.
            var signaled = new TaskCompletionSource<PosixSignal>(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnSignal(PosixSignalContext context)
            {
                context.Cancel = true;
                signaled.TrySetResult(context.Signal);
            }

            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            using var canceled = cancellationToken.Register(() => signaled.TrySetResult(PosixSignal.SIGTERM));
            if (await Task.WhenAny(server.Completion, signaled.Task).ConfigureAwait(false) == signaled.Task)
            {
                logger.Log(LogLevel.Information, "{Signal}: stopping", await signaled.Task.ConfigureAwait(false));
            }

            await server.StopAsync().ConfigureAwait(false);
        }

        return 0;
    }

    private static Endpoint ParseEndpoint(string text)
    {
        try
        {
            return Endpoint.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new UsageException($"--endpoint: {ex.Message}");
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"--endpoint: {ex.Message}");
        }
    }

    private static ConnectionOptions ConnectionOptionsFrom(ParseResult parse, Endpoint endpoint)
    {
        ReadOnlyMemory<byte> secret = default;
        if (parse.GetValue(s_secretFile) is { } secretFile)
        {
            if (!secretFile.Exists)
            {
                throw new UsageException($"--secret-file: no file at {secretFile.FullName}.");
            }

            secret = System.Text.Encoding.UTF8.GetBytes(File.ReadAllText(secretFile.FullName).Trim());
            if (secret.Length < ConnectionOptions.MinSecretLength || secret.Length > ConnectionOptions.MaxSecretLength)
            {
                throw new UsageException($"--secret-file: the secret must be {ConnectionOptions.MinSecretLength} to {ConnectionOptions.MaxSecretLength} bytes long; {secretFile.FullName} holds {secret.Length}.");
            }
        }

        SslServerAuthenticationOptions? tls = null;
        if (parse.GetValue(s_tlsCert) is { } certificateFile)
        {
            if (endpoint.Kind != EndpointKind.Tcp)
            {
                throw new UsageException("--tls-cert: TLS is for tcp:// endpoints.");
            }

            if (!certificateFile.Exists)
            {
                throw new UsageException($"--tls-cert: no file at {certificateFile.FullName}.");
            }

            var password = parse.GetValue(s_tlsPasswordFile) is { } passwordFile
                ? (passwordFile.Exists ? File.ReadAllText(passwordFile.FullName).TrimEnd('\r', '\n') : throw new UsageException($"--tls-cert-password-file: no file at {passwordFile.FullName}."))
                : null;
            X509Certificate2 certificate;
            try
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(certificateFile.FullName, password);
            }
            catch (System.Security.Cryptography.CryptographicException ex)
            {
                throw new UsageException($"--tls-cert: {certificateFile.FullName} could not be read: {ex.Message}");
            }

            if (!certificate.HasPrivateKey)
            {
                throw new UsageException($"--tls-cert: {certificateFile.FullName} holds no private key.");
            }

            tls = new SslServerAuthenticationOptions { ServerCertificate = certificate, ClientCertificateRequired = parse.GetValue(s_requireClientCert) };
        }
        else if (parse.GetValue(s_requireClientCert))
        {
            throw new UsageException("--require-client-cert needs --tls-cert.");
        }

        if (endpoint.Kind == EndpointKind.Tcp && secret.IsEmpty && tls is not { ClientCertificateRequired: true })
        {
            throw new UsageException("a tcp:// endpoint needs --secret-file (or --tls-cert with --require-client-cert): clients must authenticate.");
        }

        return new ConnectionOptions { Secret = secret, ServerTls = tls };
    }

    /// <summary>Loads the assembly (its dependencies resolved from its own folder and .deps.json) and creates its startup classes.</summary>
    private static List<IProcessionalStartup> LoadStartups(string path)
    {
        Assembly assembly;
        try
        {
            var resolver = new AssemblyDependencyResolver(path);
            AssemblyLoadContext.Default.Resolving += (context, name) =>
                resolver.ResolveAssemblyToPath(name) is { } dependency ? context.LoadFromAssemblyPath(dependency) : null;
            assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or InvalidOperationException)
        {
            throw new UsageException($"--assembly: {path} could not be loaded: {ex.Message}");
        }

        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception ex) when (ex is ReflectionTypeLoadException or FileNotFoundException or FileLoadException)
        {
            throw new UsageException($"--assembly: the types of {path} could not be loaded: {ex.Message}");
        }

        var startups = new List<IProcessionalStartup>();
        foreach (var type in types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IProcessionalStartup).IsAssignableFrom(t)))
        {
            if (type.GetConstructor(Type.EmptyTypes) is null)
            {
                throw new UsageException($"--assembly: {type.FullName} implements IProcessionalStartup but has no public parameterless constructor.");
            }

            startups.Add((IProcessionalStartup)Activator.CreateInstance(type)!);
        }

        return startups.Count > 0
            ? startups
            : throw new UsageException($"--assembly: {path} declares no public class implementing Processional.IProcessionalStartup, so it exposes nothing.");
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"processional serve: {message}");
        Console.Error.WriteLine("Run 'processional serve --help' for the options.");
        return ExitUsage;
    }

    private sealed class UsageException(string message) : Exception(message);
}
