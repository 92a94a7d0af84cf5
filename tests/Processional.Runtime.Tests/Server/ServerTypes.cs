using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Processional.Transport;

namespace Processional.Tests.Server;

/// <summary>The object the server tests expose: shared by every client.</summary>
[Remote]
public interface ISharedCounter
{
    Task<int> AddAsync(int delta);

    Task<int> TotalAsync();

    Task<int> EchoAsync(int value);

    /// <summary>Returns an object created for the calling client, passed by reference.</summary>
    Task<IClientSession> OpenSessionAsync(string name);

    /// <summary>Waits until canceled (the caller disconnects), then reports it.</summary>
    Task<int> WaitForeverAsync(CancellationToken cancellationToken);
}

/// <summary>An object a client holds by reference.</summary>
[Remote]
public interface IClientSession
{
    Task<string> NameAsync();
}

/// <summary>Thread-safe, so that it can be exposed concurrent or ordered.</summary>
public sealed class SharedCounter : ISharedCounter
{
    private int _total;

    public ConcurrentQueue<WeakReference> Sessions { get; } = new();

    public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Canceled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<int> AddAsync(int delta) => Task.FromResult(Interlocked.Add(ref _total, delta));

    public Task<int> TotalAsync() => Task.FromResult(Volatile.Read(ref _total));

    public Task<int> EchoAsync(int value) => Task.FromResult(value);

    public Task<IClientSession> OpenSessionAsync(string name)
    {
        var session = new ClientSession(name);
        Sessions.Enqueue(new WeakReference(session));
        return Task.FromResult<IClientSession>(session);
    }

    public async Task<int> WaitForeverAsync(CancellationToken cancellationToken)
    {
        Waiting.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Canceled.TrySetResult();
            throw;
        }

        return 0;
    }
}

public sealed class ClientSession(string name) : IClientSession
{
    public Task<string> NameAsync() => Task.FromResult(name);
}

/// <summary>Endpoints, secrets and certificates for the server tests.</summary>
internal static class ServerTestKit
{
    public static readonly byte[] Secret = "server tests' shared secret, 32b"u8.ToArray();

    public static Endpoint UnixEndpoint() => Endpoint.Parse($"unix:{Path.Combine(Path.GetTempPath(), $"psrv-{Guid.NewGuid():N}.sock")}");

    public static Endpoint AnyTcp => Endpoint.Parse("tcp://127.0.0.1:0");

    public static ConnectionOptions WithSecret => new() { Secret = Secret };

    public static X509Certificate2 CreateCertificate(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));

        // Exported and loaded again: on Linux, SslStream needs the private key in a form it can hand to OpenSSL.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
