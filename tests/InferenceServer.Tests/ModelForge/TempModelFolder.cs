namespace InferenceServer.Tests.ModelForge;

/// <summary>A fresh temp folder for one forged model, deleted on dispose.</summary>
internal sealed class TempModelFolder : IDisposable
{
    public TempModelFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "forge-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A native library may still hold a file open; the OS temp cleaner gets it later.
        }
    }
}
