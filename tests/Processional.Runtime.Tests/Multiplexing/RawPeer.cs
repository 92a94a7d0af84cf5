using System.IO.Pipelines;
using Processional.Multiplexing;
using Processional.Transport;

namespace Processional.Tests.Multiplexing;

/// <summary>A multiplexer (the server) facing a peer whose bytes the test writes and reads by hand.</summary>
internal sealed class RawPeer : IAsyncDisposable
{
    /// <summary>The Settings frame a multiplexer with default options sends first: window 1 MiB, payloads up to 256 KiB.</summary>
    public const string DefaultSettings = "0108000000000000" + "00001000" + "00000400";

    private RawPeer(Multiplexer multiplexer, IDuplexPipe peer)
    {
        Multiplexer = multiplexer;
        Peer = peer;
    }

    public Multiplexer Multiplexer { get; }

    public IDuplexPipe Peer { get; }

    public static RawPeer Start(MultiplexerOptions? options = null)
    {
        // The multiplexer's output never pauses: a test may leave it unread.
        var pipes = DuplexPipePair.Create(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        return new RawPeer(Multiplexer.Start(pipes.Server, ConnectionRole.Server, options), pipes.Client);
    }

    public async Task SendAsync(string hex) => await Peer.Output.WriteAsync(Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal)));

    /// <summary>Reads one whole frame the multiplexer sent, as hex.</summary>
    public async Task<string> ReceiveFrameAsync()
    {
        var header = await ChannelIo.ReadExactlyAsync(Peer.Input, Frame.HeaderLength);
        var length = header[1] | (header[2] << 8) | (header[3] << 16);
        var payload = length == 0 ? [] : await ChannelIo.ReadExactlyAsync(Peer.Input, length);
        return Convert.ToHexString(header) + Convert.ToHexString(payload);
    }

    public async ValueTask DisposeAsync() => await Multiplexer.DisposeAsync();
}
