using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.ModelForge.Llama2c;

namespace InferenceServer.Tests.Models;

/// <summary>The converted stories260K folder (from the weights embedded in ModelForge) loaded once per test class.</summary>
public sealed class Stories260KFixture : IDisposable
{
    private static readonly string Cache = Path.Combine(Path.GetTempPath(), "inferenceserver-unit-models");

    public Stories260KFixture()
    {
        Folder = Stories260K.Ensure(Cache);
        Model = TextModelLoader.Load(new ModelOptions { Id = Stories260K.ServedName, Path = Folder, MaxContextLength = 512 },
            new SessionFactory(new ExecutionProfileOptions { HugePages = false }));
    }

    public string Folder { get; }

    internal TextModel Model { get; }

    public void Dispose() => Model.Dispose();
}
