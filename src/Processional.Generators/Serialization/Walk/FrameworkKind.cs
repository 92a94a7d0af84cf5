namespace Processional.Generators.Serialization.Walk;

/// <summary>What the runtime does with a framework type (one from <c>System.*</c>, <c>Microsoft.*</c> or Processional's runtime).</summary>
internal enum FrameworkKind
{
    /// <summary>No built-in formatter.</summary>
    Unsupported,

    /// <summary>A built-in formatter, with nothing inside that the walk must look at.</summary>
    Leaf,

    /// <summary>A built-in collection of its one type argument (path segment <c>[]</c>).</summary>
    Sequence,

    /// <summary>A built-in dictionary (path segments <c>[key]</c> and <c>[value]</c>).</summary>
    Map,

    /// <summary><c>KeyValuePair&lt;K, V&gt;</c> (path segments <c>.Key</c> and <c>.Value</c>).</summary>
    KeyValuePair,

    /// <summary><c>Tuple</c> or <c>ValueTuple</c> (path segments <c>.Item1</c>... and <c>.Rest</c>).</summary>
    Tuple,

    /// <summary><c>Nullable&lt;T&gt;</c>: transparent in paths.</summary>
    Nullable,

    /// <summary>A stream, handle, task or other live resource.</summary>
    Resource,

    /// <summary>A native handle: <c>IntPtr</c>, <c>UIntPtr</c>, <c>GCHandle</c>, the runtime handles.</summary>
    Pointer,
}
