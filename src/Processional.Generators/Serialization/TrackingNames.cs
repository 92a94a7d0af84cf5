namespace Processional.Generators.Serialization;

/// <summary>The names of the pipeline steps that tests inspect (<c>trackIncrementalGeneratorSteps</c>).</summary>
public static class TrackingNames
{
    /// <summary>The type each <c>ProcessionalSerializer</c> call needs serialized.</summary>
    public const string SerializerCallRoots = nameof(SerializerCallRoots);

    /// <summary>The types each [Remote] interface sends by value.</summary>
    public const string RemoteSignatureRoots = nameof(RemoteSignatureRoots);

    /// <summary>The types that lambdas shipped to other processes send by value: captures, <c>this</c>, results.</summary>
    public const string LambdaRoots = nameof(LambdaRoots);

    /// <summary>The formatters that all roots together need: one walk over the type graph per compilation.</summary>
    public const string AllFormatters = nameof(AllFormatters);

    /// <summary>One formatter per generated file, in hint-name order.</summary>
    public const string Formatters = nameof(Formatters);
}
