using System.Buffers;
using Processional.Rpc;

namespace Processional.Tests.Rpc;

/// <summary>The RPC messages of docs/protocol.md ("RPC messages"), byte by byte.</summary>
public sealed class RpcWireFormatTests
{
    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_request_and_its_response_match_the_documented_bytes()
    {
        var transport = new RecordingTransport();
        var connection = RpcConnection.Start(transport, options: null, shared: null);
        var proxy = connection.Get<ICalculator>("calculator");

        var call = proxy.AddAsync(5);

        // 01 | call id 1 | object id of "calculator" | method id 0x1001 | flags 0 | argument int 5
        var request = Assert.Single(transport.Sent);
        Assert.Equal(
            "01" + "0100000000000000" + "AD33438F99A3A3AE" + "01100000" + "00" + "05000000",
            Convert.ToHexString(request));

        // 02 | call id 1 | result int 12
        transport.Deliver(Convert.FromHexString("02" + "0100000000000000" + "0C000000"));
        Assert.Equal(12, await call);

        var failing = proxy.AddAsync(1);
        var error = RemoteExceptionInfoBytes(new InvalidOperationException("no"));

        // 03 | call id 2 | RemoteExceptionInfo
        transport.Deliver([0x03, 0x02, 0, 0, 0, 0, 0, 0, 0, .. error]);
        Assert.Equal("no", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing.AsTask())).Message);
    }

    [Fact(Timeout = TestTimeouts.Short)]
    public async Task A_canceled_call_sends_Cancel_and_a_stream_sends_its_first_credit()
    {
        var transport = new RecordingTransport();
        var connection = RpcConnection.Start(transport, new RpcConnectionOptions { StreamWindow = 16 }, shared: null);
        var proxy = connection.Get<ICalculator>("calculator");
        using var cts = new CancellationTokenSource();

        var call = proxy.AddAsync(1, cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.AsTask());

        // The request carries flag 02 (cancelable); then 04 | call id 1.
        Assert.Equal(0x02, transport.Sent[0][21]);
        Assert.Equal("040100000000000000", Convert.ToHexString(transport.Sent[1]));

        _ = proxy.CountAsync(3);

        // Flags 06 (stream, cancelable), then 09 | call id 2 | credit 16.
        Assert.Equal(0x06, transport.Sent[2][21]);
        Assert.Equal("09" + "0200000000000000" + "10000000", Convert.ToHexString(transport.Sent[3]));
    }

    private static byte[] RemoteExceptionInfoBytes(Exception exception) =>
        global::Processional.Serialization.ProcessionalSerializer.Serialize(global::Processional.Serialization.RemoteExceptionInfo.Capture(exception));

    /// <summary>Keeps what the connection sends; delivers what the test says the peer sent.</summary>
    private sealed class RecordingTransport : IRpcTransport
    {
        private IRpcMessageHandler? _handler;

        public List<byte[]> Sent { get; } = [];

        public string Description => "recording transport";

        public void Start(IRpcMessageHandler handler) => _handler = handler;

        public void Send(RpcMessageBuffer message)
        {
            lock (Sent)
            {
                Sent.Add(message.WrittenSpan.ToArray());
            }

            message.Return();
        }

        public void SendMany(List<RpcMessageBuffer> messages)
        {
            foreach (var message in messages)
            {
                Send(message);
            }
        }

        public void Deliver(byte[] message) => _handler!.OnMessage(new ReadOnlySequence<byte>(message));

        public ValueTask DisposeAsync()
        {
            _handler!.OnClosed(new global::Processional.Transport.ConnectionLostException("closed"));
            return ValueTask.CompletedTask;
        }
    }
}
