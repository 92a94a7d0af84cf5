namespace Processional.Generators.Remote.Models;

/// <summary>The kind of interface member a proxy implements.</summary>
internal enum MemberKind
{
    /// <summary>An ordinary method.</summary>
    Method,

    /// <summary>A get-only property: its getter is a blocking (or task-returning) call.</summary>
    Property,

    /// <summary>A get-only indexer: its getter is a call with the indexer's parameters.</summary>
    Indexer,
}
