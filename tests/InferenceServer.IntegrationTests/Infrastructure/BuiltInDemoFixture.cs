namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>The server exactly as <c>dotnet run --project src/InferenceServer</c> starts it: no models configured, the built-in demo.</summary>
public sealed class BuiltInDemoFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await TestServer.StartAsync(new Dictionary<string, string?>());

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
