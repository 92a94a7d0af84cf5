using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Processional.Generators.Tests.Infrastructure;

/// <summary>
/// Snapshot testing without Verify: the generated files of a test are compared, exactly, with
/// <c>Baselines/&lt;name&gt;.cs.txt</c> in this project. To accept new output, rewrite the baselines with
/// <c>dotnet test tests/Processional.Generators.Tests -p:UpdateBaselines=true</c> (or with the environment variable
/// <c>PROCESSIONAL_UPDATE_BASELINES=1</c>), then review the diff.
/// </summary>
internal static class Baseline
{
    private const string UpdateVariable = "PROCESSIONAL_UPDATE_BASELINES";

    public static string Directory { get; } = Path.Combine(
        typeof(Baseline).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDirectory").Value!,
        "Baselines");

    private static bool Updating =>
#if UPDATE_BASELINES
        true;
#else
        Environment.GetEnvironmentVariable(UpdateVariable) is "1" or "true";
#endif

    /// <summary>Compares every file the generator produced with the baseline <paramref name="name"/>.</summary>
    public static void Verify(string name, GeneratorRunResult result) => Verify(name, Render(result));

    /// <summary>Compares every file the generators produced (each generator's files under its name) with the baseline <paramref name="name"/>.</summary>
    public static void Verify(string name, GeneratorDriverRunResult run) => Verify(name, string.Concat(run.Results
        .Where(r => r.GeneratedSources.Length > 0)
        .Select(r => "//====== " + r.Generator.GetGeneratorType().Name + " ======\n" + Render(r))));

    private static void Verify(string name, string actual)
    {
        var path = Path.Combine(Directory, name + ".cs.txt");
        if (Updating)
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"No baseline {path}: run `dotnet test -p:UpdateBaselines=true` to create it, then review it.");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            var received = Path.Combine(Path.GetTempPath(), name + ".received.cs.txt");
            File.WriteAllText(received, actual);
            Assert.Fail($"The generated code differs from {path} (first difference at line {FirstDifferentLine(expected, actual)}); it was written to {received}. " +
                "If the change is intended, run `dotnet test -p:UpdateBaselines=true` and review the diff.");
        }
    }

    /// <summary>All generated files in hint-name order, each under a header line naming it.</summary>
    public static string Render(GeneratorRunResult result)
    {
        var builder = new StringBuilder();
        foreach (var source in result.GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal))
        {
            builder.Append("//------ ").Append(source.HintName).Append(" ------\n");
            builder.Append(source.SourceText.ToString());
        }

        return builder.ToString();
    }

    private static int FirstDifferentLine(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (a[i] != b[i])
            {
                return i + 1;
            }
        }

        return Math.Min(a.Length, b.Length) + 1;
    }
}
