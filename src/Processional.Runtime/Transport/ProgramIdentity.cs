using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Processional.Transport;

/// <summary>
/// Which code a process runs: the module version ids of its own assemblies (the entry assembly and the non-framework
/// assemblies it references, transitively), sorted by name. Two processes built from the same binaries have equal
/// identities. Exchanged in the handshake and exposed as <see cref="PeerIdentity.Program"/>.
/// </summary>
public sealed class ProgramIdentity : IEquatable<ProgramIdentity>
{
    /// <summary>The most modules an identity may list; the handshake rejects more.</summary>
    public const int MaxModules = 4096;

    // Public key tokens of the assemblies that ship with .NET itself (runtime, ASP.NET Core, extensions).
    private static readonly string[] s_frameworkTokens = ["b03f5f7f11d50a3a", "7cec85d7bea7798e", "cc7b13ffcd2ddd51", "adb9793829ddae60", "31bf3856ad364e35"];

    private static readonly Lazy<ProgramIdentity> s_current = new(ComputeCurrent);

    private readonly ModuleIdentity[] _modules;

    /// <summary>Creates an identity from a list of modules (sorted here by name).</summary>
    /// <param name="modules">The modules.</param>
    public ProgramIdentity(IEnumerable<ModuleIdentity> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        // Sorted without LINQ: this runs in every slave's handshake, and a slave need not load System.Linq for it.
        _modules = new List<ModuleIdentity>(modules).ToArray();
        Array.Sort(_modules, static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : a.ModuleVersionId.CompareTo(b.ModuleVersionId);
        });
        if (_modules.Length > MaxModules)
        {
            throw new ArgumentException($"A program identity can list at most {MaxModules} modules; {_modules.Length} were given.", nameof(modules));
        }
    }

    /// <summary>The identity of the running program, computed once from the entry assembly.</summary>
    public static ProgramIdentity Current => s_current.Value;

    /// <summary>The modules, sorted by name.</summary>
    public IReadOnlyList<ModuleIdentity> Modules => _modules;

    /// <summary>
    /// The identity of the program whose entry point is <paramref name="entryAssembly"/>: that assembly and every
    /// non-framework assembly it references, directly or not. References that cannot be found are left out.
    /// </summary>
    /// <remarks>
    /// Assemblies are not loaded to learn their module version ids: one already loaded is asked, any other is found
    /// where the runtime would load it from (the trusted platform assemblies of the app, or beside the entry assembly)
    /// and its metadata is read from the file. Loading them all would cost every process — a slave especially — the
    /// memory and start-up time of assemblies it may never use.
    /// </remarks>
    /// <param name="entryAssembly">The program's entry assembly.</param>
    /// <returns>The identity.</returns>
    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An assembly without a file (single-file bundle) is asked through its loaded module or left out.")]
    public static ProgramIdentity FromEntryAssembly(Assembly entryAssembly)
    {
        ArgumentNullException.ThrowIfNull(entryAssembly);
        var loaded = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.GetName().Name is { } loadedName)
            {
                loaded.TryAdd(loadedName, assembly);
            }
        }

        var paths = ApplicationPaths(entryAssembly);
        var seen = new Dictionary<string, ModuleIdentity>(StringComparer.Ordinal);
        var pending = new Stack<IEnumerable<AssemblyName>>();
        var entryName = entryAssembly.GetName().Name ?? string.Empty;
        seen[entryName] = new ModuleIdentity(entryName, entryAssembly.ManifestModule.ModuleVersionId);
        pending.Push(entryAssembly.GetReferencedAssemblies());
        while (pending.Count > 0 && seen.Count < MaxModules)
        {
            foreach (var reference in pending.Pop())
            {
                if (reference.Name is not { } name || seen.ContainsKey(name) || IsFramework(reference))
                {
                    continue;
                }

                if (loaded.TryGetValue(name, out var assembly))
                {
                    seen[name] = new ModuleIdentity(name, assembly.ManifestModule.ModuleVersionId);
                    pending.Push(assembly.GetReferencedAssemblies());
                }
                else if (paths.TryGetValue(name, out var path) && ReadMetadata(path) is { } metadata)
                {
                    seen[name] = new ModuleIdentity(name, metadata.ModuleVersionId);
                    pending.Push(metadata.References);
                }
            }
        }

        var modules = new List<ModuleIdentity>(Math.Min(seen.Count, MaxModules));
        foreach (var module in seen.Values)
        {
            if (modules.Count == MaxModules)
            {
                break;
            }

            modules.Add(module);
        }

        return new ProgramIdentity(modules);
    }

    /// <inheritdoc/>
    public bool Equals(ProgramIdentity? other) => other is not null && _modules.AsSpan().SequenceEqual(other._modules);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ProgramIdentity);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var module in _modules)
        {
            hash.Add(module);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join(", ", _modules);

    private static bool IsFramework(AssemblyName name)
    {
        var token = name.GetPublicKeyToken();
        if (token is null || token.Length == 0)
        {
            return false;
        }

        var hex = Convert.ToHexStringLower(token);
        return Array.IndexOf(s_frameworkTokens, hex) >= 0;
    }

    /// <summary>Where the runtime finds the app's assemblies, by simple name: its trusted platform assemblies, then the entry assembly's directory.</summary>
    [UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "Without a location, only the trusted platform assemblies are used.")]
    private static Dictionary<string, string> ApplicationPaths(Assembly entryAssembly)
    {
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
        {
            foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                paths.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            }
        }

        if (Path.GetDirectoryName(entryAssembly.Location) is { Length: > 0 } directory && Directory.Exists(directory))
        {
            foreach (var path in Directory.EnumerateFiles(directory, "*.dll"))
            {
                paths.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            }
        }

        return paths;
    }

    /// <summary>The module version id and the assembly references of an assembly file, read without loading it.</summary>
    private static (Guid ModuleVersionId, List<AssemblyName> References)? ReadMetadata(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                return null;
            }

            var reader = pe.GetMetadataReader();
            var mvid = reader.GetGuid(reader.GetModuleDefinition().Mvid);
            var references = new List<AssemblyName>(reader.AssemblyReferences.Count);
            foreach (var handle in reader.AssemblyReferences)
            {
                references.Add(reader.GetAssemblyReference(handle).GetAssemblyName());
            }

            return (mvid, references);
        }
#pragma warning disable CA1031 // A file that cannot be read as an assembly is not part of the identity, as a reference that cannot be loaded was not.
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    private static ProgramIdentity ComputeCurrent()
    {
        var entry = Assembly.GetEntryAssembly();
        return entry is null ? new ProgramIdentity([]) : FromEntryAssembly(entry);
    }
}
