namespace Processional;

/// <summary>What a lambda running in a slave knows about the call that runs it.</summary>
public static class RemoteCall
{
    // The token in a box: an AsyncLocal of a class is precompiled by the runtime, one of a struct would be compiled by
    // the JIT in every slave before its first call. A call without a token leaves it empty.
    private static readonly AsyncLocal<TokenBox?> s_cancellationToken = new();

    /// <summary>
    /// Canceled when the master cancels the call that runs the current lambda (or loses the slave): long-running work
    /// sent to a slave checks it. <see cref="CancellationToken.None"/> outside such a lambda.
    /// </summary>
    public static CancellationToken CancellationToken => s_cancellationToken.Value?.Token ?? default;

    internal static void Enter(CancellationToken token) => s_cancellationToken.Value = token.CanBeCanceled ? new TokenBox(token) : null;

    private sealed class TokenBox(CancellationToken token)
    {
        public CancellationToken Token { get; } = token;
    }
}
