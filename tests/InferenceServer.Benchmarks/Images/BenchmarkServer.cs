using System.Diagnostics;
using System.Globalization;
using InferenceServer.Engine.Images;
using InferenceServer.Hosting;
using InferenceServer.Images;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceServer.Benchmarks.Images;

/// <summary>The real server (Kestrel on loopback) serving one image model folder, and the client that times it.</summary>
internal sealed class BenchmarkServer : IAsyncDisposable
{
    public const string Prompt = "a lighthouse at night";
    private readonly WebApplication _app;
    private readonly HttpClient _client;

    private BenchmarkServer(WebApplication app, Uri address)
    {
        _app = app;
        _client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };
        Pipeline = app.Services.GetRequiredService<ImageModels>().TryResolve("bench", out var model)
            ? model.Pipeline
            : throw new InvalidOperationException("The server did not load the benchmark model.");
    }

    /// <summary>The server's own loaded pipeline, for the in-process side of the comparison.</summary>
    public DiffusionPipeline Pipeline { get; }

    public static async Task<BenchmarkServer> StartAsync(string folder, ImagesBenchmarkOptions options)
    {
        var app = ServerApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
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
            });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var server = new BenchmarkServer(app, new Uri(address.TrimEnd('/') + "/"));
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
            while (Interlocked.Increment(ref next) <= total)
            {
                await GenerateAsync(next);
            }
        }));
        return total / watch.Elapsed.TotalMinutes;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task GenerateAsync(int seed)
    {
        // A buffered body with Content-Length, as SDK clients send it (not chunked).
        var body = string.Create(CultureInfo.InvariantCulture,
            $$"""{"model":"bench","prompt":"{{Prompt}}","seed":{{seed}},"response_format":"b64_json"}""");
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync("v1/images/generations", content);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }
}
