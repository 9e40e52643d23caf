using InferenceServer.ModelForge;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>
/// One server for the tests that share it: the built-in demo (scripted forge model as deepseek-chat and
/// deepseek-reasoner) plus a random-weight forge model as <c>forge-random</c>.
/// </summary>
public sealed class DemoServerFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var scripted = DemoModels.EnsureScripted(TestServer.ModelCache);
        var random = DemoModels.EnsureRandom(TestServer.ModelCache);
        Server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Models:0:Id"] = "deepseek-reasoner",
            ["Models:0:Path"] = scripted,
            ["Models:0:Thinking"] = "enabled",
            ["Models:0:Aliases:0:Name"] = "deepseek-chat",
            ["Models:0:Aliases:0:Thinking"] = "disabled",
            ["Models:1:Id"] = "forge-random",
            ["Models:1:Path"] = random,
            ["Models:1:Thinking"] = "none",
            ["Models:1:MaxContextLength"] = "512",
        });
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class DemoServerCollection : ICollectionFixture<DemoServerFixture>
{
    public const string Name = "demo server";
}
