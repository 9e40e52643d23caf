using InferenceServer.ModelForge;
using InferenceServer.ModelForge.Embeddings;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>
/// A server with the real all-MiniLM-L6-v2 (from the NuGet package, written as a sentence-transformers folder) as an
/// embedding model, in small ONNX batches so requests span several chunks, next to the scripted chat model.
/// </summary>
public sealed class EmbeddingServerFixture : IAsyncLifetime
{
    public const string Model = MiniLmPackage.ServedName;

    public TestServer Server { get; private set; } = null!;

    public string Folder { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Folder = MiniLmPackage.Ensure(TestServer.ModelCache);
        Server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Models:0:Id"] = Model,
            ["Models:0:Path"] = Folder,
            ["Models:0:Kind"] = "embedding",
            ["Models:0:BatchSize"] = "4",
            ["Models:0:Aliases:0:Name"] = "text-embedding-3-small",
            ["Models:1:Id"] = "deepseek-chat",
            ["Models:1:Path"] = DemoModels.EnsureScripted(TestServer.ModelCache),
            ["Models:1:Thinking"] = "disabled",
        });
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class EmbeddingServerCollection : ICollectionFixture<EmbeddingServerFixture>
{
    public const string Name = "embedding server";
}
