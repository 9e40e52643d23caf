namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>One demo server process with JSON logs, shared by a test class that reads the server's log.</summary>
public sealed class ServerProcessFixture : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
