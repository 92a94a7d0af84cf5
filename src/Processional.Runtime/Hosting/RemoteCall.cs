namespace Processional;

/// <summary>What a lambda running in a slave knows about the call that runs it.</summary>
public static class RemoteCall
{
    // The token in a box: an AsyncLocal of a class is precompiled by the runtime, one of a struct would be compiled by
    // the JIT in every slave before its first call. A call without a token leaves it empty; the last box is reused for
    // the next call with the same token (calls sent without one all share their connection's stop token).
    private static readonly AsyncLocal<TokenBox?> s_cancellationToken = new();
    private static TokenBox? s_lastBox;

    /// <summary>
    /// Canceled when the master cancels the call that runs the current lambda (or loses the slave): long-running work
    /// sent to a slave checks it. <see cref="CancellationToken.None"/> outside such a lambda.
    /// </summary>
    public static CancellationToken CancellationToken => s_cancellationToken.Value?.Token ?? default;

    internal static void Enter(CancellationToken token) => s_cancellationToken.Value = token.CanBeCanceled ? BoxOf(token) : null;

    private static TokenBox BoxOf(CancellationToken token)
    {
        var box = Volatile.Read(ref s_lastBox);
        if (box is null || !box.Token.Equals(token))
        {
            box = new TokenBox(token);
            Volatile.Write(ref s_lastBox, box);
        }

        return box;
    }

    private sealed class TokenBox(CancellationToken token)
    {
        public CancellationToken Token { get; } = token;
    }
}
