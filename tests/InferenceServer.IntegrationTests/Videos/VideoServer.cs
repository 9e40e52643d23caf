using InferenceServer.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceServer.IntegrationTests.Videos;

/// <summary>A test server whose video jobs live in a folder of their own (<c>Videos:Directory</c>), deleted with it.</summary>
internal sealed class VideoServer : IAsyncDisposable
{
    private VideoServer(TestServer server, string directory)
    {
        Server = server;
        Directory = directory;
    }

    public TestServer Server { get; }

    public HttpClient Client => Server.Client;

    /// <summary>Where the server keeps its jobs' state and files.</summary>
    public string Directory { get; }

    public static async Task<VideoServer> StartAsync(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "inferenceserver-videos-" + Guid.NewGuid().ToString("N"));
        var all = new Dictionary<string, string?>(settings ?? []) { ["Videos:Directory"] = directory };
        return new VideoServer(await TestServer.StartAsync(all, services), directory);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
