using InferenceServer.ModelForge.Janus;
using InferenceServer.Tests.ModelForge;

namespace InferenceServer.Tests.Janus;

/// <summary>One forge Janus folder shared by a test class.</summary>
public sealed class JanusFixture : IDisposable
{
    private readonly TempModelFolder _temp = new();

    public JanusFixture()
    {
        Folder = Path.Combine(_temp.Path, "janus");
        JanusModels.Write(Folder);
    }

    public string Folder { get; }

    public void Dispose() => _temp.Dispose();
}
