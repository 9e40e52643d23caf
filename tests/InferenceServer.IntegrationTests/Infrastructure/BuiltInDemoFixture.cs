namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>A server with nothing configured: the built-in demo under DeepSeek's names, as <c>dotnet run --project src/InferenceServer</c> starts it.</summary>
public sealed class BuiltInDemoFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync(new Dictionary<string, string?>());

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
