namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>
/// A demo server with API keys and its own files folder. Each test uses its own key, so each sees only its own files
/// (a file belongs to the key that uploaded it).
/// </summary>
public sealed class FilesServerFixture : IAsyncLifetime
{
    public static readonly string[] Keys = [.. Enumerable.Range(0, 16).Select(i => $"sk-files-{i:D2}-5c1e9a")];

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "inferenceserver-files-http-" + Guid.NewGuid().ToString("N"));

    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?> { ["Files:Directory"] = Directory };
        for (var i = 0; i < Keys.Length; i++)
        {
            settings[$"Auth:Keys:{i}"] = Keys[i];
        }

        Server = await TestServer.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    /// <summary>A client of the server that sends key number <paramref name="key"/>.</summary>
    public HttpClient Client(int key)
    {
        var client = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Keys[key]);
        return client;
    }
}
