using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;

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

    private static Lazy<ProgramIdentity> s_current = new(ComputeCurrent);

    private readonly ModuleIdentity[] _modules;

    /// <summary>Creates an identity from a list of modules (sorted here by name).</summary>
    /// <param name="modules">The modules.</param>
    public ProgramIdentity(IEnumerable<ModuleIdentity> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        // Sorted without LINQ: this runs in every slave's handshake, and a slave need not load System.Linq for it.
        // An array (a decoded handshake) is usually sorted already; sorting is then skipped.
        _modules = modules is ModuleIdentity[] array ? (ModuleIdentity[])array.Clone() : new List<ModuleIdentity>(modules).ToArray();
        if (!IsSorted(_modules))
        {
            Array.Sort(_modules, Compare);
        }
        if (_modules.Length > MaxModules)
        {
            throw new ArgumentException($"A program identity can list at most {MaxModules} modules; {_modules.Length} were given.", nameof(modules));
        }
    }

    /// <summary>An identity over modules already sorted by name.</summary>
    private ProgramIdentity(ModuleIdentity[] sortedModules) => _modules = sortedModules;

    /// <summary>The identity of the running program, computed once from the entry assembly.</summary>
    public static ProgramIdentity Current => s_current.Value;

    /// <summary>The modules, sorted by name.</summary>
    public IReadOnlyList<ModuleIdentity> Modules => _modules;

    /// <summary>The modules as an array (not to be changed), for loops that should not go through an interface.</summary>
    internal ModuleIdentity[] ModuleArray => _modules;

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

        var trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
        var directory = string.IsNullOrEmpty(entryAssembly.Location) ? null : Path.GetDirectoryName(entryAssembly.Location);
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
                else if (FindApplicationPath(name, trusted, directory) is { } path && ReadMetadata(path) is { } metadata)
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

    /// <summary>
    /// Makes this process's identity the <paramref name="expected"/> modules as this process finds them: each module's
    /// version id is read from the assembly already loaded, or from the file the runtime would load it from. Equal to
    /// <paramref name="expected"/> exactly when this process would run the same code. A slave checks itself this way
    /// against the identity its master hands it, which costs a few reads per module instead of walking every reference.
    /// </summary>
    internal static ProgramIdentity AdoptVerified(ProgramIdentity expected)
    {
        var verified = VerifiedAgainst(expected);
        s_current = new Lazy<ProgramIdentity>(verified);
        return verified;
    }

    /// <summary>The <paramref name="expected"/> modules with the version ids this process finds for them (see <see cref="AdoptVerified"/>); a module not found here is left out.</summary>
    internal static ProgramIdentity VerifiedAgainst(ProgramIdentity expected)
    {
        // Plain loops and arrays: this runs at every slave's start, where each generic instantiation the runtime has not
        // precompiled would cost a JIT compilation.
        var loaded = AppDomain.CurrentDomain.GetAssemblies();
        var trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
        var directory = Assembly.GetEntryAssembly() is { Location: { Length: > 0 } location } ? Path.GetDirectoryName(location) : null;
        var modules = new ModuleIdentity[expected._modules.Length];
        var found = 0;
        foreach (var module in expected._modules)
        {
            Guid? mvid = null;
            foreach (var assembly in loaded)
            {
                if (string.Equals(assembly.GetName().Name, module.Name, StringComparison.Ordinal))
                {
                    mvid = assembly.ManifestModule.ModuleVersionId;
                    break;
                }
            }

            if (mvid is null && FindApplicationPath(module.Name, trusted, directory) is { } path)
            {
                mvid = ModuleVersionReader.TryRead(path);
            }

            if (mvid is { } value)
            {
                modules[found++] = new ModuleIdentity(module.Name, value);
            }
        }

        if (found < modules.Length)
        {
            var all = modules;
            modules = new ModuleIdentity[found];
            Array.Copy(all, modules, found);
        }

        return new ProgramIdentity(modules);
    }

    /// <summary>The identity as one line per module (name, a tab, the version id), or <see langword="null"/> when a name cannot be written so or the text would be too long for an environment variable.</summary>
    internal string? EncodeForEnvironment()
    {
        var text = new StringBuilder();
        foreach (var module in _modules)
        {
            if (module.Name.AsSpan().IndexOfAny('\t', '\n') >= 0)
            {
                return null;
            }

            text.Append(module.Name).Append('\t').Append(module.ModuleVersionId.ToString("N")).Append('\n');
        }

        return text.Length <= 64 * 1024 ? text.ToString() : null;
    }

    /// <summary>Reads <see cref="EncodeForEnvironment"/>'s text; <see langword="null"/> when it is malformed.</summary>
    internal static ProgramIdentity? DecodeFromEnvironment(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length > MaxModules)
        {
            return null;
        }

        var modules = new ModuleIdentity[lines.Length];
        for (var i = 0; i < lines.Length; i++)
        {
            var tab = lines[i].IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0 || !Guid.TryParseExact(lines[i].AsSpan(tab + 1), "N", out var mvid))
            {
                return null;
            }

            modules[i] = new ModuleIdentity(lines[i][..tab], mvid);
            if (i > 0 && Compare(modules[i - 1], modules[i]) >= 0)
            {
                return null;
            }
        }

        return new ProgramIdentity(modules);
    }

    /// <inheritdoc/>
    public bool Equals(ProgramIdentity? other)
    {
        if (other is null || other._modules.Length != _modules.Length)
        {
            return false;
        }

        for (var i = 0; i < _modules.Length; i++)
        {
            if (!string.Equals(_modules[i].Name, other._modules[i].Name, StringComparison.Ordinal) || _modules[i].ModuleVersionId != other._modules[i].ModuleVersionId)
            {
                return false;
            }
        }

        return true;
    }

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

    private static bool IsSorted(ModuleIdentity[] modules)
    {
        for (var i = 1; i < modules.Length; i++)
        {
            if (Compare(modules[i - 1], modules[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static int Compare(ModuleIdentity a, ModuleIdentity b)
    {
        var byName = string.CompareOrdinal(a.Name, b.Name);
        return byName != 0 ? byName : a.ModuleVersionId.CompareTo(b.ModuleVersionId);
    }

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

    /// <summary>
    /// Where the runtime would load the assembly <paramref name="name"/> from: its trusted platform assemblies (the first
    /// entry of that file name), then the entry assembly's directory.
    /// </summary>
    private static string? FindApplicationPath(string name, string trusted, string? directory)
    {
        var file = Path.DirectorySeparatorChar + name + ".dll";
        var start = 0;
        while (start < trusted.Length)
        {
            var end = trusted.IndexOf(Path.PathSeparator, start);
            end = end < 0 ? trusted.Length : end;
            var entry = trusted.AsSpan(start, end - start);
            if (entry.EndsWith(file, StringComparison.Ordinal))
            {
                return entry.ToString();
            }

            start = end + 1;
        }

        var beside = directory is null ? null : Path.Combine(directory, name + ".dll");
        return beside is not null && File.Exists(beside) ? beside : null;
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
