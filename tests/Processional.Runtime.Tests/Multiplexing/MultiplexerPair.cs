using System.IO.Pipelines;
using Processional.Multiplexing;
using Processional.Transport;

namespace Processional.Tests.Multiplexing;

/// <summary>Two multiplexers talking over an in-memory pipe pair, disposed together.</summary>
internal sealed class MultiplexerPair : IAsyncDisposable
{
    private MultiplexerPair(Multiplexer client, Multiplexer server, DuplexPipePair pipes)
    {
        Client = client;
        Server = server;
        Pipes = pipes;
    }

    public Multiplexer Client { get; }

    public Multiplexer Server { get; }

    public DuplexPipePair Pipes { get; }

    public static MultiplexerPair Create(MultiplexerOptions? options = null, MultiplexerOptions? serverOptions = null)
    {
        var pipes = DuplexPipePair.Create();
        return new MultiplexerPair(
            Multiplexer.Start(pipes.Client, ConnectionRole.Client, options),
            Multiplexer.Start(pipes.Server, ConnectionRole.Server, serverOptions ?? options),
            pipes);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}

/// <summary>Two ends of an in-memory duplex byte stream.</summary>
internal sealed class DuplexPipePair
{
    private DuplexPipePair(IDuplexPipe client, IDuplexPipe server)
    {
        Client = client;
        Server = server;
    }

    public IDuplexPipe Client { get; }

    public IDuplexPipe Server { get; }

    public static DuplexPipePair Create(PipeOptions? options = null)
    {
        options ??= new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20, useSynchronizationContext: false);
        var toServer = new Pipe(options);
        var toClient = new Pipe(options);
        return new DuplexPipePair(new Duplex(toClient.Reader, toServer.Writer), new Duplex(toServer.Reader, toClient.Writer));
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
