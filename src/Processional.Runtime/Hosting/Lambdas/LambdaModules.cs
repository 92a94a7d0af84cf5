using System.Reflection;
using System.Runtime.Loader;

namespace Processional.Hosting;

/// <summary>
/// Finds, in this process, the module a lambda was compiled in, by its module version id. A slave loads the caller's
/// assemblies on demand from the paths the caller sent (the same files, since both run the same program), resolving
/// their dependencies next to them.
/// </summary>
internal static class LambdaModules
{
    // A short locked list of a class rather than a concurrent dictionary keyed by Guid: a slave fills it before its first
    // call, and this way the runtime's precompiled code does it (no JIT compilation of a dictionary instantiation).
    private static readonly List<KnownAssembly> s_known = [];
    private static readonly Lock s_lock = new();
    private static int s_resolverInstalled;

    /// <summary>Records where one of the caller's assemblies is, so that this process can load it when a lambda needs it.</summary>
    public static void AddKnown(Guid moduleVersionId, string path)
    {
        lock (s_lock)
        {
            if (KnownPath(moduleVersionId) is null)
            {
                s_known.Add(new KnownAssembly(moduleVersionId, path));
            }
        }

        if (Interlocked.Exchange(ref s_resolverInstalled, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += ResolveFromKnownPaths;
        }
    }

    /// <summary>The recorded path of a module; the caller holds the lock.</summary>
    private static string? KnownPath(Guid moduleVersionId)
    {
        foreach (var known in s_known)
        {
            if (known.ModuleVersionId == moduleVersionId)
            {
                return known.Path;
            }
        }

        return null;
    }

    private static string[] KnownPaths()
    {
        lock (s_lock)
        {
            var paths = new string[s_known.Count];
            for (var i = 0; i < paths.Length; i++)
            {
                paths[i] = s_known[i].Path;
            }

            return paths;
        }
    }

    public static Module? Find(Guid moduleVersionId)
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (!assembly.IsDynamic && assembly.ManifestModule.ModuleVersionId == moduleVersionId)
            {
                return assembly.ManifestModule;
            }
        }

        string? path;
        lock (s_lock)
        {
            path = KnownPath(moduleVersionId);
        }

        if (path is not null)
        {
            var loaded = AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
            if (loaded.ManifestModule.ModuleVersionId != moduleVersionId)
            {
                throw new InvalidOperationException(
                    $"'{path}' has module version id {loaded.ManifestModule.ModuleVersionId}, not the caller's {moduleVersionId}: the two processes do not run the same build.");
            }

            return loaded.ManifestModule;
        }

        return null;
    }

    /// <summary>Every non-framework assembly loaded here, with its path: what a slave may need to load.</summary>
    public static IEnumerable<(Guid ModuleVersionId, string Path)> LoadedApplicationAssemblies()
    {
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic || string.IsNullOrEmpty(assembly.Location)
                || string.Equals(Path.GetDirectoryName(assembly.Location), framework, StringComparison.Ordinal))
            {
                continue;
            }

            yield return (assembly.ManifestModule.ModuleVersionId, assembly.Location);
        }
    }

    private static Assembly? ResolveFromKnownPaths(AssemblyLoadContext context, AssemblyName name)
    {
        foreach (var path in KnownPaths())
        {
            if (string.Equals(Path.GetFileNameWithoutExtension(path), name.Name, StringComparison.OrdinalIgnoreCase))
            {
                return context.LoadFromAssemblyPath(path);
            }

            // A dependency of a known assembly, resolved the way its deps.json says, or found next to it.
            var resolver = new AssemblyDependencyResolver(path);
            if (resolver.ResolveAssemblyToPath(name) is { } resolved)
            {
                return context.LoadFromAssemblyPath(resolved);
            }

            var sibling = Path.Combine(Path.GetDirectoryName(path)!, name.Name + ".dll");
            if (File.Exists(sibling))
            {
                return context.LoadFromAssemblyPath(sibling);
            }
        }

        return null;
    }

    private sealed record KnownAssembly(Guid ModuleVersionId, string Path);
}
