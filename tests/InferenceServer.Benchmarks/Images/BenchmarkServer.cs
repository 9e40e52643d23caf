using System.Diagnostics;
using System.Globalization;
using InferenceServer.Benchmarks.Hosting;

namespace InferenceServer.Benchmarks.Images;

/// <summary>
/// The real server as its own process serving one image model folder, and the client that times it. A separate
/// process keeps the client's and the in-process pipeline's threads out of the server's way.
/// </summary>
internal sealed class BenchmarkServer : IAsyncDisposable
{
    public const string Prompt = "a lighthouse at night";
    private readonly ServerProcess _server;

    private BenchmarkServer(ServerProcess server) => _server = server;

    public static async Task<BenchmarkServer> StartAsync(string folder, ImagesBenchmarkOptions options)
    {
        var server = new BenchmarkServer(await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Server:ModelCacheDirectory"] = Path.Combine(Path.GetTempPath(), "inferenceserver-bench-models"),
            ["ImageModels:0:Id"] = "bench",
            ["ImageModels:0:Path"] = folder,
            ["ImageModels:0:DefaultSteps"] = options.Steps.ToString(CultureInfo.InvariantCulture),
            ["ImageModels:0:MaxSteps"] = Math.Max(50, options.Steps).ToString(CultureInfo.InvariantCulture),
            ["ImageModels:0:DefaultGuidanceScale"] = options.Guidance.ToString(CultureInfo.InvariantCulture),
            ["ImageModels:0:Sizes:0"] = options.Size,
            ["Images:MaxConcurrentRequests"] = "4",
            ["Images:MaxQueueWaitSeconds"] = "600",
        }));
        await server.GenerateAsync(0);
        return server;
    }

    /// <summary>Milliseconds for one request, from send to the last response byte.</summary>
    public async Task<double> TimeRequestAsync(int seed)
    {
        var watch = Stopwatch.StartNew();
        await GenerateAsync(seed);
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>Images per minute with <paramref name="concurrency"/> clients each sending requests back to back.</summary>
    public async Task<double> MeasureThroughputAsync(ImagesBenchmarkOptions options, int concurrency)
    {
        int total = Math.Max(options.Images, concurrency * 4);
        int next = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int seed;
            while ((seed = Interlocked.Increment(ref next)) <= total)
            {
                await GenerateAsync(seed);
            }
        }));
        return total / watch.Elapsed.TotalMinutes;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task GenerateAsync(int seed)
    {
        // A buffered body with Content-Length, as SDK clients send it (not chunked).
        var body = string.Create(CultureInfo.InvariantCulture,
            $$"""{"model":"bench","prompt":"{{Prompt}}","seed":{{seed}},"response_format":"b64_json"}""");
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _server.Client.PostAsync("v1/images/generations", content);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }
}
