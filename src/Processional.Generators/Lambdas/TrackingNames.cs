namespace Processional.Generators.Lambdas;

/// <summary>The names of the pipeline steps that tests inspect (<c>trackIncrementalGeneratorSteps</c>).</summary>
public static class TrackingNames
{
    /// <summary>The model of each intercepted call (calls with a problem, or that ship nothing, are left out).</summary>
    public const string LambdaCalls = nameof(LambdaCalls);

    /// <summary>The calls grouped by source file, in hint-name order.</summary>
    public const string AllLambdaFiles = nameof(AllLambdaFiles);

    /// <summary>One source file's calls per generated file.</summary>
    public const string LambdaFiles = nameof(LambdaFiles);
}
