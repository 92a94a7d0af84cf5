using Processional.Multiplexing;
using Processional.Transport;
using static Processional.Tests.Multiplexing.ChannelIo;

namespace Processional.Tests.Multiplexing;

/// <summary>The frames of docs/protocol.md, byte for byte, and what a multiplexer does with frames that break the rules.</summary>
public sealed class ProtocolTests
{
    [Fact(Timeout = TestTimeouts.Short)]
    public async Task The_documented_frames_drive_a_channel_from_open_to_end()
    {
        await using var raw = RawPeer.Start();
        Assert.Equal(RawPeer.DefaultSettings, await raw.ReceiveFrameAsync());

        // Settings, Open 1, Data "hi" on 1, End 1: the documented examples.
        await raw.SendAsync(RawPeer.DefaultSettings + "0200000001000000" + "0302000001000000 6869" + "0500000001000000");
        var channel = await raw.Multiplexer.AcceptChannelAsync();
        Assert.Equal(1u, channel.Id);
        Assert.Equal("hi"u8.ToArray(), await ReadToEndAsync(channel.Input));

        await channel.Output.WriteAsync("ok"u8.ToArray());
        Assert.Equal("0302000001000000" + "6F6B", await raw.ReceiveFrameAsync());
        await channel.Output.CompleteAsync();
        Assert.Equal("0500000001000000", await raw.ReceiveFrameAsync());
        await channel.Completion;

        await raw.SendAsync("0708000000000000 0102030405060708");
        Assert.Equal("0808000000000000" + "0102030405060708", await raw.ReceiveFrameAsync());
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Window_updates_follow_consumption_and_a_reset_frame_carries_its_message()
    {
        await using var raw = RawPeer.Start(new MultiplexerOptions { ChannelWindow = 4096 });
        Assert.Equal("0108000000000000" + "00100000" + "00000400", await raw.ReceiveFrameAsync());
        await raw.SendAsync(RawPeer.DefaultSettings + "0200000001000000" + "0300040001000000" + new string('A', 2048));
        var channel = await raw.Multiplexer.AcceptChannelAsync();

        // Consuming a quarter of the window or more gives it back: WindowUpdate 1, +1024.
        Assert.Equal(1024, (await ReadExactlyAsync(channel.Input, 1024)).Length);
        Assert.Equal("0404000001000000" + "00040000", await raw.ReceiveFrameAsync());

        channel.Reset("no");
        Assert.Equal("0602000001000000" + "6E6F", await raw.ReceiveFrameAsync());
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Disposal_sends_a_normal_GoAway_and_a_GoAway_received_ends_the_connection_in_order()
    {
        var raw = RawPeer.Start();
        await raw.ReceiveFrameAsync();
        await raw.DisposeAsync();
        var goAway = await raw.ReceiveFrameAsync();
        Assert.StartsWith("09", goAway, StringComparison.Ordinal);
        Assert.Equal("00", goAway.Substring(16, 2));

        await using var other = RawPeer.Start();
        await other.SendAsync(RawPeer.DefaultSettings + "0904000000000000 00627965"); // GoAway normal "bye"
        await other.Multiplexer.Completion;
        var error = await Assert.ThrowsAsync<ConnectionLostException>(async () => await other.Multiplexer.RpcChannel.Input.ReadAsync());
        Assert.Contains("The peer closed the connection: bye", error.Message, StringComparison.Ordinal);
    }

    [Theory(Timeout = TestTimeouts.Short)]
    [InlineData("FF00000000000000", "unknown frame type 0xFF")]
    [InlineData("0301000401000000", "payload of 262145 bytes, over the limit of 262144")]
    [InlineData("0300000005000000", "channel 5, which was never opened")]
    [InlineData("0500000003000000", "End frame for channel 3, which was never opened")]
    [InlineData("0200000002000000", "Open of channel 2, an id the peer may not open")]
    [InlineData("0200000000000000", "Open of channel 0")]
    [InlineData("0200000003000000 0200000001000000", "Open of channel 1, not above the last channel the peer opened (3)")]
    [InlineData("0200000001000000 0404000001000000 00000000", "WindowUpdate of 0 on channel 1")]
    [InlineData("0200000001000000 0404000001000000 FFFFFFFF 0404000001000000 FFFFFFFF", "raises its credit")]
    [InlineData("0200000001000000 0500000001000000 0301000001000000 00", "Data frame on channel 1 after its End")]
    [InlineData("0200000001000000 0500000001000000 0500000001000000", "second End on channel 1")]
    [InlineData("0704000000000000 00000000", "Ping frame with a payload of 4 bytes; it must have 8")]
    [InlineData("0708000003000000 0000000000000000", "must carry channel 0")]
    [InlineData("0A01000003000000 00", "Message frame on channel 3; it belongs to the connection and must carry channel 0")]
    [InlineData("0B01000000000000 00", "MessagePart frame, but this side takes no messages")]
    [InlineData("0201000001000000", "Open frame with a payload of 1 bytes; it must have 0")]
    [InlineData(RawPeer.DefaultSettings, "a second Settings frame")]
    [InlineData("0900000000000000", "GoAway without its code byte")]
    public async Task A_frame_that_breaks_the_rules_closes_the_connection_saying_what_and_where(string frames, string problem)
    {
        await using var raw = RawPeer.Start();
        await raw.SendAsync(RawPeer.DefaultSettings + frames);

        var error = await Assert.ThrowsAsync<ProtocolException>(() => raw.Multiplexer.Completion);

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains("frame at byte", error.Message, StringComparison.Ordinal);
        var lost = await Assert.ThrowsAsync<ConnectionLostException>(async () => await raw.Multiplexer.RpcChannel.Input.ReadAsync());
        Assert.Same(error, lost.InnerException);

        // The peer is told why in a GoAway with the protocol-error code, after the Settings.
        Assert.Equal(RawPeer.DefaultSettings, await raw.ReceiveFrameAsync());
        var goAway = await raw.ReceiveFrameAsync();
        Assert.StartsWith("09", goAway, StringComparison.Ordinal);
        Assert.Equal("01", goAway.Substring(16, 2));
    }

    [Theory(Timeout = TestTimeouts.Short)]
    [InlineData("0200000001000000", "before the Settings frame")]
    [InlineData("0108000000000000 0A000000 00000100", "window of 10 bytes")]
    [InlineData("0108000000000000 00001000 10000000", "largest payload of 16 bytes")]
    public async Task The_first_frame_must_be_valid_Settings(string frames, string problem)
    {
        await using var raw = RawPeer.Start();
        await raw.SendAsync(frames);

        var error = await Assert.ThrowsAsync<ProtocolException>(() => raw.Multiplexer.Completion);

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Sending_beyond_the_window_is_a_protocol_violation()
    {
        await using var raw = RawPeer.Start(new MultiplexerOptions { ChannelWindow = 1024 });
        var data = "03" + "000300" + "01000000" + new string('B', 2 * 768);

        await raw.SendAsync(RawPeer.DefaultSettings + "0200000001000000" + data + data);

        var error = await Assert.ThrowsAsync<ProtocolException>(() => raw.Multiplexer.Completion);
        Assert.Contains("1536 bytes on channel 1, more than its window of 1024", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task Frames_that_cross_a_reset_are_ignored()
    {
        await using var raw = RawPeer.Start();
        await raw.SendAsync(RawPeer.DefaultSettings + "0200000001000000");
        var channel = await raw.Multiplexer.AcceptChannelAsync();
        channel.Reset("bye");
        await Assert.ThrowsAsync<ChannelResetException>(() => channel.Completion);

        // The peer had sent these before it saw the reset.
        await raw.SendAsync("0301000001000000 00" + "0404000001000000 00010000" + "0500000001000000");
        await raw.SendAsync("0708000000000000 0000000000000001");
        Assert.Equal(RawPeer.DefaultSettings, await raw.ReceiveFrameAsync());
        Assert.StartsWith("06", await raw.ReceiveFrameAsync(), StringComparison.Ordinal);
        Assert.StartsWith("08", await raw.ReceiveFrameAsync(), StringComparison.Ordinal); // still alive: the ping is answered
        Assert.False(raw.Multiplexer.Completion.IsCompleted);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_stream_cut_inside_a_frame_is_a_lost_connection()
    {
        await using var raw = RawPeer.Start();
        await raw.SendAsync(RawPeer.DefaultSettings + "0310000001");
        await raw.Peer.Output.CompleteAsync();

        var error = await Assert.ThrowsAsync<ConnectionLostException>(() => raw.Multiplexer.Completion);
        Assert.Contains("in the middle of a frame", error.Message, StringComparison.Ordinal);
    }
}
