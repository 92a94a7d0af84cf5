using System.Collections.Concurrent;
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
    private static readonly ConcurrentDictionary<Guid, string> s_knownPaths = new();
    private static int s_resolverInstalled;

    /// <summary>Records where the caller's assemblies are, so that this process can load them when a lambda needs one.</summary>
    public static void AddKnown(IEnumerable<(Guid ModuleVersionId, string Path)> assemblies)
    {
        foreach (var (mvid, path) in assemblies)
        {
            s_knownPaths.TryAdd(mvid, path);
        }

        if (Interlocked.Exchange(ref s_resolverInstalled, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += ResolveFromKnownPaths;
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

        if (s_knownPaths.TryGetValue(moduleVersionId, out var path))
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
        foreach (var path in s_knownPaths.Values)
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
}
