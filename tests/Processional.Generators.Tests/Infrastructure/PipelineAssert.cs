using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Processional.Generators.Tests.Infrastructure;

/// <summary>Assertions on the generator's tracked pipeline steps.</summary>
internal static class PipelineAssert
{
    /// <summary>The outputs of the named steps and of the source outputs, with the reason each was produced for.</summary>
    public static IEnumerable<(string Step, object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRunResult result, params string[] stepNames) =>
        stepNames.SelectMany(name => result.TrackedSteps[name].SelectMany(step => step.Outputs.Select(o => (name, o.Value, o.Reason))))
            .Concat(result.TrackedOutputSteps.SelectMany(pair => pair.Value.SelectMany(step => step.Outputs.Select(o => (pair.Key, o.Value, o.Reason)))));

    /// <summary>Fails if any output was computed again with a different result (anything but Cached or Unchanged).</summary>
    public static void AllCachedOrUnchanged(GeneratorRunResult result, params string[] stepNames)
    {
        var outputs = Outputs(result, stepNames).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.True(
            o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"Step '{o.Step}' produced {o.Reason} output {o.Value}"));
    }

    /// <summary>
    /// Fails if a pipeline value holds (anywhere inside) a symbol, a syntax node or tree, a compilation, a semantic
    /// model, a location or a plain array: none of them compares by value, and the first four keep old compilations alive.
    /// </summary>
    public static void HoldsOnlyEquatableData(object? value, string path = "output") => Walk(value, path, new HashSet<object>(ReferenceEqualityComparer.Instance));

    private static void Walk(object? value, string path, HashSet<object> visited)
    {
        if (value is null or string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        var type = value.GetType();
        Assert.False(
            value is ISymbol or SyntaxNode or SyntaxTree or Compilation or SemanticModel or Location,
            $"{path} holds a {type.Name}, which must not be in a pipeline model.");
        Assert.False(type.IsArray, $"{path} is a plain array ({type.Name}), which compares by reference: use EquatableArray<T>.");
        if (!type.IsValueType && !visited.Add(value))
        {
            return;
        }

        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                Walk(item, $"{path}[{i++}]", visited);
            }

            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            Walk(property.GetValue(value), path + "." + property.Name, visited);
        }

        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            Walk(field.GetValue(value), path + "." + field.Name, visited);
        }
    }
}
