namespace Processional.Tests.Transport;

/// <summary>A short private directory for Unix socket files (socket paths are limited to about 100 bytes).</summary>
internal sealed class TempSocketDirectory : IDisposable
{
    public TempSocketDirectory()
    {
        Path = System.IO.Path.Combine("/tmp", "pt-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
