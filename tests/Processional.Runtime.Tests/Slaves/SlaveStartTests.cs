using System.Diagnostics;
using System.Reflection;
using Processional.Hosting;
using Processional.Transport;

namespace Processional.Tests.Slaves;

/// <summary>
/// How a slave is started (docs/slave-processes.md, "How a slave starts"): directly through Processional's entry point
/// with the program's runtime configuration, or with the program's own command line and a startup hook; and the pieces
/// that make the start cheap (the identity the master hands down, read from the files with a few reads each).
/// </summary>
public sealed class SlaveStartTests
{
    [Theory(Timeout = TestTimeouts.Long)]
    [InlineData(SlaveStartMode.Direct)]
    [InlineData(SlaveStartMode.StartupHook)]
    public async Task Both_start_modes_run_the_same_program_in_another_process(SlaveStartMode mode)
    {
        await using var slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { Name = mode.ToString(), StartMode = mode });

        var (pid, entry, firstArgument) = await slave.InvokeAsync(
            () => (Environment.ProcessId, Assembly.GetEntryAssembly()!.Location, Environment.GetCommandLineArgs()[0]));

        Assert.NotEqual(Environment.ProcessId, pid);
        Assert.Equal(slave.ProcessId, pid);

        // Either way the program's entry assembly is this one's (the test host), so code that asks for it sees the same.
        Assert.Equal(Assembly.GetEntryAssembly()!.Location, entry);

        // Started directly, the process runs Processional.Runtime.dll; through the hook, the program's own command line.
        var expected = mode == SlaveStartMode.Direct ? typeof(SlaveProcess).Assembly.Location : Environment.GetCommandLineArgs()[0];
        Assert.Equal(expected, firstArgument);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_slave_started_directly_has_the_program_identity_of_its_master()
    {
        await using var slave = await SlaveProcess.StartAsync(new SlaveProcessOptions { StartMode = SlaveStartMode.Direct });

        var modules = await slave.InvokeAsync(() => ProgramIdentity.Current.ToString());

        Assert.Equal(ProgramIdentity.Current.ToString(), modules);
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task The_runtime_started_by_hand_says_what_it_is_for_and_exits_with_a_usage_code()
    {
        var configuration = Path.ChangeExtension(typeof(SlaveStartTests).Assembly.Location, ".runtimeconfig.json");
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "exec", "--runtimeconfig", configuration, typeof(SlaveProcess).Assembly.Location })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove(SlaveHost.SlaveVariable);
        info.Environment.Remove(ChildLauncher.ProgramVariable);
        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(ChildEntryPoint.ExitUsage, process.ExitCode);
        Assert.Contains("is a library", error, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task A_program_that_can_be_started_directly_gets_dotnet_exec_with_its_own_configuration()
    {
        var facts = Facts(processPath: "/usr/share/dotnet/dotnet", arguments: ["exec", "--runtimeconfig", "/app/test.runtimeconfig.json", "--depsfile", "/app/test.deps.json", "/app/testhost.dll", "--port", "1"]);

        var (launch, reason) = ChildLauncher.FindDirectLaunch(facts);

        Assert.Null(reason);
        var info = launch!.StartInfo();
        Assert.Equal("/usr/share/dotnet/dotnet", info.FileName);
        Assert.Equal(["exec", "--runtimeconfig", "/app/test.runtimeconfig.json", "--depsfile", "/app/test.deps.json", "/app/Processional.Runtime.dll"], info.ArgumentList);
        Assert.Equal("/app/testhost.dll", info.Environment[ChildLauncher.ProgramVariable]);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task An_apphost_program_is_started_through_the_dotnet_of_its_runtime_with_the_files_beside_it()
    {
        var facts = Facts(processPath: "/app/testhost", arguments: ["--port", "1"]);

        var (launch, reason) = ChildLauncher.FindDirectLaunch(facts);

        Assert.Null(reason);
        var info = launch!.StartInfo();
        Assert.Equal("/usr/share/dotnet/dotnet", info.FileName);
        Assert.Equal(["exec", "--runtimeconfig", "/app/testhost.runtimeconfig.json", "--depsfile", "/app/testhost.deps.json", "/app/Processional.Runtime.dll"], info.ArgumentList);
        return Task.CompletedTask;
    }

    [Theory(Timeout = TestTimeouts.Short)]
    [InlineData("no entry", "has no file")]
    [InlineData("runtime elsewhere", "is not in the directory")]
    [InlineData("self-contained", "self-contained")]
    [InlineData("no dotnet", "no `dotnet` host")]
    [InlineData("unknown host option", "--unknown")]
    [InlineData("no runtime configuration", "no runtime configuration file")]
    public Task A_program_that_cannot_be_started_directly_is_told_why(string situation, string reason)
    {
        var facts = situation switch
        {
            "no entry" => Facts() with { EntryAssembly = "" },
            "runtime elsewhere" => Facts() with { Runtime = "/packages/processional/Processional.Runtime.dll" },
            "self-contained" => Facts() with { FrameworkDirectory = "/app" },
            "no dotnet" => Facts(processPath: "/app/testhost") with { FileExists = path => path.StartsWith("/app/", StringComparison.Ordinal) },
            "unknown host option" => Facts(processPath: "/usr/share/dotnet/dotnet", arguments: ["exec", "--unknown", "x", "/app/testhost.dll"]),
            _ => Facts() with { FileExists = path => !path.EndsWith(".runtimeconfig.json", StringComparison.Ordinal) },
        };

        var (launch, why) = ChildLauncher.FindDirectLaunch(facts);

        Assert.Null(launch);
        Assert.Contains(reason, why, StringComparison.Ordinal);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public async Task A_slave_whose_program_cannot_be_loaded_fails_StartAsync_with_the_reason()
    {
        var options = new SlaveProcessOptions
        {
            StartMode = SlaveStartMode.Direct,
            Output = SlaveOutput.Discard,
            Environment = new Dictionary<string, string?> { [ChildLauncher.ProgramVariable] = "/nonexistent/program.dll" },
        };

        var ex = await Assert.ThrowsAsync<SlaveCrashedException>(() => SlaveProcess.StartAsync(options));

        Assert.Equal(SlaveHost.ExitStartFailed, ex.ExitCode);
        Assert.Contains("could not load the program '/nonexistent/program.dll'", string.Join("\n", ex.StandardErrorTail), StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task The_identity_handed_down_is_checked_against_the_files_here()
    {
        var real = ProgramIdentity.FromEntryAssembly(typeof(SlaveStartTests).Assembly);
        var runtime = typeof(SlaveProcess).Assembly.GetName().Name!;

        // The master claims another version of one module and a module that is not here at all.
        var claimed = new ProgramIdentity(real.Modules
            .Select(m => m.Name == runtime ? m with { ModuleVersionId = Guid.NewGuid() } : m)
            .Append(new ModuleIdentity("Not.Here.Anywhere", Guid.NewGuid())));

        var verified = ProgramIdentity.VerifiedAgainst(claimed);

        // Each module has the id found here; the missing one is left out: so the identities differ exactly when the
        // files differ, and the handshake refuses then.
        Assert.Equal(real, verified);
        Assert.NotEqual(claimed, verified);
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task The_identity_goes_through_the_environment_and_back_unchanged()
    {
        var identity = ProgramIdentity.FromEntryAssembly(typeof(SlaveStartTests).Assembly);

        var text = identity.EncodeForEnvironment();

        Assert.NotNull(text);
        Assert.Equal(identity, ProgramIdentity.DecodeFromEnvironment(text));
        Assert.Null(ProgramIdentity.DecodeFromEnvironment("NoTab\n"));
        Assert.Null(ProgramIdentity.DecodeFromEnvironment("A\tnot-a-guid\n"));
        Assert.Null(ProgramIdentity.DecodeFromEnvironment($"B\t{Guid.NewGuid():N}\nA\t{Guid.NewGuid():N}\n"));
        Assert.Null(new ProgramIdentity([new ModuleIdentity("Tab\tInside", Guid.NewGuid())]).EncodeForEnvironment());
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Long)]
    public Task The_module_version_reader_agrees_with_System_Reflection_Metadata_on_every_assembly_here()
    {
        // The framework's assemblies (precompiled), this directory's (IL, and Processional.Runtime precompiled here).
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
            .Distinct()
            .ToList();
        var checkedCount = 0;
        foreach (var path in paths)
        {
            Guid? expected;
            using (var stream = File.OpenRead(path))
            using (var pe = new System.Reflection.PortableExecutable.PEReader(stream))
            {
                if (!pe.HasMetadata)
                {
                    Assert.Null(ModuleVersionReader.TryRead(path));
                    continue;
                }

                var reader = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
                expected = reader.GetGuid(reader.GetModuleDefinition().Mvid);
            }

            Assert.Equal(expected, ModuleVersionReader.TryRead(path));
            checkedCount++;
        }

        Assert.True(checkedCount > 150, $"only {checkedCount} assemblies were checked");
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task The_module_version_reader_returns_nothing_for_what_is_not_an_assembly()
    {
        var directory = Directory.CreateTempSubdirectory("mvid-");
        try
        {
            var text = Path.Combine(directory.FullName, "text.dll");
            File.WriteAllText(text, "MZ but nothing else of a PE file");
            var empty = Path.Combine(directory.FullName, "empty.dll");
            File.WriteAllBytes(empty, []);
            var truncated = Path.Combine(directory.FullName, "truncated.dll");
            File.WriteAllBytes(truncated, File.ReadAllBytes(typeof(SlaveStartTests).Assembly.Location)[..1024]);

            Assert.Null(ModuleVersionReader.TryRead(text));
            Assert.Null(ModuleVersionReader.TryRead(empty));
            Assert.Null(ModuleVersionReader.TryRead(truncated));
            Assert.Null(ModuleVersionReader.TryRead(Path.Combine(directory.FullName, "missing.dll")));
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task The_user_id_read_from_proc_is_the_effective_one()
    {
        // The status line, parsed here the plain way: "Uid:\treal\teffective\tsaved\tfilesystem".
        var line = File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        var effective = uint.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(effective, PeerCredentials.CurrentUserId());
        return Task.CompletedTask;
    }

    private static ChildLauncher.LaunchFacts Facts(string processPath = "/usr/share/dotnet/dotnet", IReadOnlyList<string>? arguments = null) =>
        new(
            "/app/testhost.dll",
            "/app/Processional.Runtime.dll",
            "/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12",
            processPath,
            arguments ?? ["/app/testhost.dll"],
            path => path is "/usr/share/dotnet/dotnet" or "/app/testhost.runtimeconfig.json" or "/app/testhost.deps.json");
}
