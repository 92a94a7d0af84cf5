using System.Reflection;
using Processional.Transport;

namespace Processional.Tests.Transport;

/// <summary>What a program identity lists: the entry assembly and its non-framework references, with their module version ids.</summary>
public sealed class ProgramIdentityTests
{
    [Fact(Timeout = TestTimeouts.Short)]
    public Task It_lists_the_assembly_and_its_own_references_with_their_module_version_ids()
    {
        var tests = typeof(ProgramIdentityTests).Assembly;
        var runtime = typeof(SlaveProcess).Assembly;

        var identity = ProgramIdentity.FromEntryAssembly(tests);

        var modules = identity.Modules.ToDictionary(m => m.Name, m => m.ModuleVersionId);
        Assert.Equal(tests.ManifestModule.ModuleVersionId, modules[tests.GetName().Name!]);
        Assert.Equal(runtime.ManifestModule.ModuleVersionId, modules[runtime.GetName().Name!]);
        Assert.Contains("xunit.assert", modules.Keys);
        Assert.DoesNotContain(modules.Keys, name => name.StartsWith("System.", StringComparison.Ordinal) || name == "netstandard");
        Assert.Equal(modules.Keys.Order(StringComparer.Ordinal), identity.Modules.Select(m => m.Name));
        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task A_reference_that_is_not_loaded_is_read_from_its_file_with_the_same_id()
    {
        // Every non-framework module of the identity, whether this process loaded it or not, has the id of its file.
        var identity = ProgramIdentity.FromEntryAssembly(typeof(ProgramIdentityTests).Assembly);
        var directory = Path.GetDirectoryName(typeof(ProgramIdentityTests).Assembly.Location)!;

        foreach (var module in identity.Modules)
        {
            var path = Path.Combine(directory, module.Name + ".dll");
            if (File.Exists(path))
            {
                Assert.Equal(AssemblyName.GetAssemblyName(path).Name, module.Name);
                using var stream = File.OpenRead(path);
                using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
                var reader = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
                Assert.Equal(reader.GetGuid(reader.GetModuleDefinition().Mvid), module.ModuleVersionId);
            }
        }

        return Task.CompletedTask;
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public Task The_same_binaries_give_equal_identities_and_another_module_version_does_not()
    {
        var first = ProgramIdentity.FromEntryAssembly(typeof(ProgramIdentityTests).Assembly);
        var second = ProgramIdentity.FromEntryAssembly(typeof(ProgramIdentityTests).Assembly);
        var changed = new ProgramIdentity(first.Modules.Select((m, i) => i == 0 ? new ModuleIdentity(m.Name, Guid.NewGuid()) : m));

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, changed);
        return Task.CompletedTask;
    }
}
