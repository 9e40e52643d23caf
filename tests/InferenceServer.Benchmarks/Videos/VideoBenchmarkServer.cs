using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using InferenceServer.Benchmarks.Hosting;

namespace InferenceServer.Benchmarks.Videos;

/// <summary>
/// The real server as its own process serving one video model folder (two jobs at a time), and the client that times
/// a job the way a user waits for one: create, poll every 20 ms until completed, download the MP4.
/// </summary>
internal sealed class VideoBenchmarkServer : IAsyncDisposable
{
    public const string Prompt = "waves on a quiet sea";
    private readonly ServerProcess _server;
    private readonly VideosBenchmarkOptions _options;

    private VideoBenchmarkServer(ServerProcess server, VideosBenchmarkOptions options)
    {
        _server = server;
        _options = options;
    }

    public static async Task<VideoBenchmarkServer> StartAsync(string folder, VideosBenchmarkOptions options, string directory)
    {
        var server = new VideoBenchmarkServer(await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Server:ModelCacheDirectory"] = Path.Combine(Path.GetTempPath(), "inferenceserver-bench-models"),
            ["VideoModels:0:Id"] = "bench",
            ["VideoModels:0:Path"] = folder,
            ["VideoModels:0:Sizes:0"] = options.Size,
            ["VideoModels:0:DefaultSteps"] = options.Steps.ToString(CultureInfo.InvariantCulture),
            ["VideoModels:0:DefaultGuidanceScale"] = options.Guidance.ToString(CultureInfo.InvariantCulture),
            ["VideoModels:0:DefaultFps"] = options.Fps.ToString(CultureInfo.InvariantCulture),
            ["Videos:JobsPerModel"] = "2",
            ["Videos:Directory"] = directory,
        }), options);
        await server.TimeJobAsync(0);
        return server;
    }

    /// <summary>Milliseconds from POST to the last byte of the MP4.</summary>
    public async Task<double> TimeJobAsync(int seed)
    {
        var watch = Stopwatch.StartNew();
        var body = string.Create(CultureInfo.InvariantCulture,
            $$"""{"model":"bench","prompt":"{{Prompt}}","seconds":"{{_options.Seconds}}","size":"{{_options.Size}}","seed":{{seed}}}""");
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var created = await _server.Client.PostAsync("v1/videos", content);
        created.EnsureSuccessStatusCode();
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        while (true)
        {
            var status = JsonDocument.Parse(await _server.Client.GetStringAsync($"v1/videos/{id}")).RootElement.GetProperty("status").GetString();
            if (status == "completed")
            {
                break;
            }

            if (status == "failed")
            {
                throw new InvalidOperationException($"video {id} failed");
            }

            await Task.Delay(20);
        }

        await _server.Client.GetByteArrayAsync($"v1/videos/{id}/content");
        var elapsed = watch.Elapsed.TotalMilliseconds;
        using var deleted = await _server.Client.DeleteAsync($"v1/videos/{id}");
        return elapsed;
    }

    /// <summary>Videos per hour with <paramref name="concurrency"/> clients, each waiting for its job before the next.</summary>
    public async Task<double> MeasureThroughputAsync(int concurrency)
    {
        int total = Math.Max(_options.Videos, concurrency * 2);
        int next = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int seed;
            while ((seed = Interlocked.Increment(ref next)) <= total)
            {
                await TimeJobAsync(seed);
            }
        }));
        return total / watch.Elapsed.TotalHours;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
