using System.Diagnostics;
using System.Globalization;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Text;
using InferenceServer.Engine.Text.Tokenization;
using InferenceServer.Hosting;
using InferenceServer.ModelForge;
using InferenceServer.ModelForge.Llama2c;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceServer.Benchmarks.Serving;

/// <summary>
/// The serving benchmark: our server over HTTP with N concurrent streaming clients vs ONNX Runtime GenAI with one
/// Generator per concurrent request, on the same forge bench model folder and thread count, in one run; then the
/// warm-prefix scenario (16-way shared 1,024-token prefix: cold vs warm time to first token).
/// </summary>
internal static class ServingScenario
{
    private const int OutputTokens = 64;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = ServingBenchmarkOptions.Parse(args);
        var concurrency = options.Clients;
        var threads = Environment.ProcessorCount;
        var cache = Path.Combine(Path.GetTempPath(), "inferenceserver-bench-models");
        var sw = Stopwatch.StartNew();
        var folder = options.Model == ServingBenchmarkOptions.Stories ? Stories260K.Ensure(cache) : DemoModels.EnsureBench(cache);
        Console.WriteLine($"{options.Model} model: {folder} (ready in {sw.Elapsed.TotalSeconds:F1} s), {threads} threads, {OutputTokens} output tokens per request, greedy");

        await using var server = await StartServerAsync(folder, threads, options.Settings);
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(10) };
        var ours = new ServerClient(http);
        using var genai = new GenAiClient(folder, threads);
        var tokenizer = BpeTokenizer.Load(Path.Combine(folder, "tokenizer.json"));
        var template = ChatTemplate.Load(folder);
        int[] Tokens(string system, string user) =>
            tokenizer.Encode(template.Render([new ChatMessage("system", system), new ChatMessage("user", user)], thinking: false).Text);

        // Warm-up, untimed, for both engines alike: one round at the largest concurrency loads pages, fills allocator
        // arenas and lets the JIT settle on the serving path, so the rounds below measure a server in steady state.
        var max = concurrency.Max();
        var warmUp = new RunStats();
        await Measure(max, warmUp, c => ours.RunAsync("bench", $"Warm-up client {c}.", "warm up", OutputTokens, warmUp));

        // The server's per-request code (middleware, controller, JSON) runs once per request; the JIT recompiles a
        // method at its optimized tier after 30 calls, so a server that has served fewer requests than that is still
        // compiling on the side while it is measured. A long-running server is past that: serve enough short ones.
        for (var i = 0; i < 4; i++)
        {
            await Measure(max, warmUp, c => ours.RunAsync("bench", $"Warm-up client {c}.", "warm up", 8, warmUp));
        }

        await Measure(max, warmUp, c => Task.Run(() => genai.Run(Tokens($"Warm-up client {c}.", "warm up"), OutputTokens, warmUp)));

        Console.WriteLine();
        Console.WriteLine("| clients | engine | requests | req/s | output tok/s | TTFT p50 ms | TTFT p99 ms | ITL p50 ms | ITL p99 ms |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        var ratios = new List<string>();
        foreach (var n in concurrency)
        {
            // Rounds alternate between the engines, so slow and fast phases of this shared machine fall on both alike.
            var rounds = options.Rounds ?? n switch { 1 => 8, 4 => 4, _ => 2 };
            var oursStats = new RunStats();
            var genaiStats = new RunStats();
            for (var round = 0; round < rounds; round++)
            {
                var r = round;
                await Measure(n, oursStats, c => ours.RunAsync("bench", $"You are benchmark client {c}.", $"Request {r}: write.", OutputTokens, oursStats));
                await Measure(n, genaiStats, c => Task.Run(() => genai.Run(Tokens($"You are benchmark client {c}.", $"Request {r}: write."), OutputTokens, genaiStats)));
            }

            Row(n, "InferenceServer (HTTP)", oursStats);
            Row(n, "ORT GenAI 0.18 (in-process)", genaiStats);
            ratios.Add($"N={n}: {oursStats.TokensPerSecond / genaiStats.TokensPerSecond:F2}x output tok/s");
        }

        Console.WriteLine();
        Console.WriteLine("ours / GenAI: " + string.Join(", ", ratios));
        if (options.WarmPrefix)
        {
            await WarmPrefixAsync(ours, tokenizer);
        }

        return 0;
    }

    private static async Task WarmPrefixAsync(ServerClient ours, BpeTokenizer tokenizer)
    {
        const int Clients = 16;
        string Prefix(string seed)
        {
            var text = seed;
            for (var i = 0; tokenizer.Encode(text).Length < 1024; i++)
            {
                text += $" clause {i} of the shared contract text";
            }

            return text;
        }

        // Cold: every request brings a prefix nobody sent before.
        var cold = new RunStats();
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => ours.RunAsync("bench", Prefix($"Contract {c}."), "Summarise it.", 4, cold)));
        cold.Wall = sw.Elapsed;

        // Warm: one request stores the shared prefix; then 16 requests share it.
        var shared = Prefix("The shared contract.");
        await ours.RunAsync("bench", shared, "Prime the cache.", 1, new RunStats());
        var warm = new RunStats();
        sw.Restart();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => ours.RunAsync("bench", shared, $"Question {c}: summarise it.", 4, warm)));
        warm.Wall = sw.Elapsed;
        Console.WriteLine();
        Console.WriteLine($"warm prefix ({Clients} concurrent requests, 1,024-token shared prefix): TTFT mean cold {cold.MeanTtft * 1000:F0} ms, " +
            $"warm {warm.MeanTtft * 1000:F0} ms, warm/cold {warm.MeanTtft / cold.MeanTtft:F2} (p50 cold {cold.Ttft(50) * 1000:F0} ms, warm {warm.Ttft(50) * 1000:F0} ms)");
    }

    /// <summary>One round: <paramref name="clients"/> concurrent requests; its wall time adds to <paramref name="stats"/>.</summary>
    internal static async Task Measure(int clients, RunStats stats, Func<int, Task> request)
    {
        // Untimed settle: GenAI's ORT threads spin for a while after a run returns (its default; 0.18's config cannot
        // stop them), which would take the cores from whichever round follows.
        await Task.Delay(200);
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(request));
        stats.Wall += sw.Elapsed;
    }

    private static void Row(int clients, string engine, RunStats s) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {clients} | {engine} | {s.Requests} | {s.RequestsPerSecond:F2} | {s.TokensPerSecond:F1} | {s.Ttft(50) * 1000:F0} | {s.Ttft(99) * 1000:F0} | {s.Itl(50) * 1000:F1} | {s.Itl(99) * 1000:F1} |"));

    private static async Task<WebApplication> StartServerAsync(string folder, int threads, IReadOnlyDictionary<string, string?> settings)
    {
        var app = ServerApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Models:0:Id"] = "bench",
                ["Models:0:Path"] = folder,
                ["Models:0:Thinking"] = "none",
                ["Models:0:MaxContextLength"] = "2048",
                ["Models:0:MaxConcurrentSequences"] = "16",
                ["Models:0:PrefillChunkTokens"] = "512",
                ["Runtime:IntraOpThreads"] = threads.ToString(CultureInfo.InvariantCulture),
                ["Serilog:MinimumLevel:Default"] = "Warning",
            });
            builder.Configuration.AddInMemoryCollection(settings);
        });
        await app.StartAsync();
        return app;
    }
}
