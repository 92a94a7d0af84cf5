using System.Buffers;
using System.IO.Pipelines;
using Processional.Multiplexing;
using Processional.Transport;

// Modes (the tests start this program with one):
//   child-echo                 connect to the parent from the environment; echo every channel and the RPC channel
//   child-flood                connect to the parent; write on a channel until the connection is gone
//   connect-echo ENDPOINT KEY  connect to ENDPOINT with the base64 secret KEY (or "-" for none); echo
//   listen ENDPOINT            listen on ENDPOINT, print "ready", echo every connection until killed
var mode = args.Length > 0 ? args[0] : string.Empty;
try
{
    switch (mode)
    {
        case "child-echo":
            await EchoAsync(await ParentChildConnection.ConnectToParentAsync());
            return 0;
        case "child-flood":
            await FloodAsync(await ParentChildConnection.ConnectToParentAsync());
            return 0;
        case "connect-echo":
            var secret = args[2] == "-" ? ReadOnlyMemory<byte>.Empty : Convert.FromBase64String(args[2]);
            await EchoAsync(await Connection.ConnectAsync(Endpoint.Parse(args[1]), new ConnectionOptions { Secret = secret }));
            return 0;
        case "listen":
            await using (var listener = await ConnectionListener.ListenAsync(Endpoint.Parse(args[1])))
            {
                Console.WriteLine("ready");
                while (true)
                {
                    var connection = await listener.AcceptAsync();
                    _ = EchoAsync(connection);
                }
            }

        default:
            await Console.Error.WriteLineAsync($"unknown mode '{mode}'");
            return 2;
    }
}
catch (ConnectionLostException)
{
    return 0;
}

static async Task EchoAsync(Connection connection)
{
    await using var multiplexer = Multiplexer.Start(connection);
    _ = EchoChannelAsync(multiplexer.RpcChannel);
    try
    {
        while (true)
        {
            var channel = await multiplexer.AcceptChannelAsync();
            _ = EchoChannelAsync(channel);
        }
    }
    catch (ConnectionLostException)
    {
    }
}

static async Task EchoChannelAsync(MultiplexedChannel channel)
{
    try
    {
        while (true)
        {
            var result = await channel.Input.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                await channel.Output.WriteAsync(segment);
            }

            channel.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                await channel.Output.CompleteAsync();
                await channel.Input.CompleteAsync();
                return;
            }
        }
    }
    catch (IOException)
    {
    }
    catch (ObjectDisposedException)
    {
    }
}

static async Task FloodAsync(Connection connection)
{
    await using var multiplexer = Multiplexer.Start(connection);
    var channel = multiplexer.OpenChannel();
    var chunk = new byte[64 * 1024];
    Random.Shared.NextBytes(chunk);
    while (true)
    {
        await channel.Output.WriteAsync(chunk);
    }
}
