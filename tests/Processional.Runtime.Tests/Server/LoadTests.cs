using Processional.Rpc;

namespace Processional.Tests.Server;

// It compares the process's managed heap before and after: other tests running at the same time would move it.
[Collection(nameof(MemoryMeasuringCollection))]
public sealed class LoadTests
{
    [Fact(Timeout = TestTimeouts.Long)]
    public async Task Sixty_four_clients_make_ten_thousand_calls_each_and_every_answer_is_right()
    {
        const int Clients = 64;
        const int Calls = 10_000;
        const int Window = 8;
        var before = Memory();
        var counter = new SharedCounter();
        await using var server = await ProcessionalServer.ListenAsync(ServerTestKit.UnixEndpoint());
        server.Expose<ISharedCounter>("counter", counter, DispatchPolicy.Concurrent);
        var clients = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => SlaveProcess.ConnectAsync(server.Endpoint)));
        try
        {
            var wrong = await Task.WhenAll(clients.Select((client, c) => Task.Run(async () =>
            {
                var proxy = client.Get<ISharedCounter>("counter");
                var errors = 0;
                // Each client keeps a few calls in flight, as a busy client would; every answer is matched to its call.
                var window = new Task<int>[Window];
                for (var i = 0; i < Calls; i += Window)
                {
                    for (var j = 0; j < Window; j++)
                    {
                        window[j] = proxy.EchoAsync((c * Calls) + i + j);
                    }

                    for (var j = 0; j < Window; j++)
                    {
                        if (await window[j] != (c * Calls) + i + j)
                        {
                            errors++;
                        }
                    }
                }

                await proxy.AddAsync(Calls);
                return errors;
            })));

            Assert.Equal(0, wrong.Sum());
            Assert.Equal(Clients * Calls, await counter.TotalAsync());
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }

        await ServerTests.WaitUntilAsync(() => server.ClientCount == 0);

        // Nothing is left behind per client or per call: memory comes back once they are gone.
        var after = Memory();
        Assert.True(after < before + (64L * 1024 * 1024), $"{before / 1024} KB before, {after / 1024} KB after");
    }

    private static long Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

[CollectionDefinition(nameof(MemoryMeasuringCollection), DisableParallelization = true)]
public sealed class MemoryMeasuringCollection;
