namespace Processional.Generators.Serialization;

/// <summary>The names of the pipeline steps that tests inspect (<c>trackIncrementalGeneratorSteps</c>).</summary>
public static class TrackingNames
{
    /// <summary>The formatters each <c>ProcessionalSerializer</c> call needs.</summary>
    public const string SerializerCallRoots = nameof(SerializerCallRoots);

    /// <summary>Every formatter needed by any root, once each, in hint-name order: one generated file each.</summary>
    public const string Formatters = nameof(Formatters);
}
