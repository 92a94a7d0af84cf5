namespace Processional;

/// <summary>What a lambda running in a slave knows about the call that runs it.</summary>
public static class RemoteCall
{
    private static readonly AsyncLocal<CancellationToken> s_cancellationToken = new();

    /// <summary>
    /// Canceled when the master cancels the call that runs the current lambda (or loses the slave): long-running work
    /// sent to a slave checks it. <see cref="CancellationToken.None"/> outside such a lambda.
    /// </summary>
    public static CancellationToken CancellationToken => s_cancellationToken.Value;

    internal static void Enter(CancellationToken token) => s_cancellationToken.Value = token;
}
