using System.Diagnostics.CodeAnalysis;
using System.Reflection;

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
        _modules = [.. modules.OrderBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.ModuleVersionId)];
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
    /// non-framework assembly it references, directly or not. References that cannot be loaded are left out.
    /// </summary>
    /// <param name="entryAssembly">The program's entry assembly.</param>
    /// <returns>The identity.</returns>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "References trimmed away are not part of the program that runs, so they do not belong in its identity.")]
    public static ProgramIdentity FromEntryAssembly(Assembly entryAssembly)
    {
        ArgumentNullException.ThrowIfNull(entryAssembly);
        var seen = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>();
        seen[entryAssembly.GetName().Name ?? string.Empty] = entryAssembly;
        pending.Push(entryAssembly);
        while (pending.Count > 0 && seen.Count < MaxModules)
        {
            foreach (var reference in pending.Pop().GetReferencedAssemblies())
            {
                if (reference.Name is null || seen.ContainsKey(reference.Name) || IsFramework(reference))
                {
                    continue;
                }

                Assembly loaded;
                try
                {
                    loaded = Assembly.Load(reference);
                }
#pragma warning disable CA1031 // An optional reference that is not deployed is simply not part of the identity.
                catch (Exception)
#pragma warning restore CA1031
                {
                    continue;
                }

                seen[reference.Name] = loaded;
                pending.Push(loaded);
            }
        }

        return new ProgramIdentity(seen.Values.Take(MaxModules).Select(a => new ModuleIdentity(a.GetName().Name ?? string.Empty, a.ManifestModule.ModuleVersionId)));
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
        return s_frameworkTokens.Contains(hex, StringComparer.Ordinal);
    }

    private static ProgramIdentity ComputeCurrent()
    {
        var entry = Assembly.GetEntryAssembly();
        return entry is null ? new ProgramIdentity([]) : FromEntryAssembly(entry);
    }
}
