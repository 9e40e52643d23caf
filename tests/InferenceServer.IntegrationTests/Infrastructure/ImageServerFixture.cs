using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>
/// One server for the image tests: no image model configured, so it serves the forge pipeline as
/// <c>forge-diffusion</c>; a fake clock (for URL expiry) and no queue wait (so a full server answers 503 at once).
/// </summary>
public sealed class ImageServerFixture : IAsyncLifetime
{
    public const string Model = "forge-diffusion";

    public TestServer Server { get; private set; } = null!;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 9, 1, 12, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync() =>
        Server = await TestServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["Images:MaxConcurrentRequests"] = "2",
                ["Images:MaxQueueWaitSeconds"] = "0",
                ["Images:MaxUploadBytes"] = "300000",
                ["Images:MaxUploadPixels"] = "1048576",
            },
            services => services.AddSingleton<TimeProvider>(Clock));

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ImageServerCollection : ICollectionFixture<ImageServerFixture>
{
    public const string Name = "image server";
}
