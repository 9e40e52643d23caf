using System.Diagnostics;
using System.Globalization;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;
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
/// warm-prefix scenario (16-way shared 1,024-token prefix: cold vs warm time to first token) and the KV budget's
/// figure (512-token conversations served at once in the memory 4 full-context slots took).
/// </summary>
internal static class ServingScenario
{
    private const int OutputTokens = 64;

    /// <summary>The server's context; its KV budget is what this many full contexts took as fixed slots.</summary>
    private const int Context = 2048;

    private const int FullContextSlots = 4;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = ServingBenchmarkOptions.Parse(args);
        var concurrency = options.Clients;
        var threads = Environment.ProcessorCount;
        var cache = Path.Combine(Path.GetTempPath(), "inferenceserver-bench-models");
        var sw = Stopwatch.StartNew();
        var folder = options.Model switch
        {
            ServingBenchmarkOptions.Stories => Stories260K.Ensure(cache),
            ServingBenchmarkOptions.BenchInt4 => DemoModels.EnsureBenchInt4(cache),
            _ => DemoModels.EnsureBench(cache),
        };
        Console.WriteLine($"{options.Model} model: {folder} (ready in {sw.Elapsed.TotalSeconds:F1} s), {threads} threads, {OutputTokens} output tokens per request, greedy");

        var config = GenAiConfig.Load(Path.Combine(folder, "genai_config.json"));
        var context = Math.Min(Context, config.ContextLength);
        var bytesPerToken = 2L * config.NumLayers * config.NumKvHeads * config.HeadSize * sizeof(float);
        var kvMiB = (int)Math.Ceiling(FullContextSlots * context * bytesPerToken / (1024.0 * 1024.0));
        Console.WriteLine($"KV budget {kvMiB} MiB: the memory {FullContextSlots} full-context slots of {context} tokens took ({bytesPerToken} bytes per token)");
        await using var server = await StartServerAsync(folder, threads, context, kvMiB, options.Settings);
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

        await Measure(max, warmUp, c => OnOwnThread(issued => genai.Run(Tokens($"Warm-up client {c}.", "warm up"), OutputTokens, warmUp, issued)));

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
                await Measure(n, genaiStats, c => OnOwnThread(issued => genai.Run(Tokens($"You are benchmark client {c}.", $"Request {r}: write."), OutputTokens, genaiStats, issued)));
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

        if (options.Conversations)
        {
            await ConversationsAsync(ours, Tokens);
        }

        return 0;
    }

    /// <summary>
    /// 64 concurrent conversations of 512 tokens each (prompt + max_tokens) against the budget 4 full-context slots
    /// took: how many stream at the same moment (4 with fixed slots), and the throughput.
    /// </summary>
    private static async Task ConversationsAsync(ServerClient ours, Func<string, string, int[]> tokens)
    {
        const int Clients = 64;
        const int Need = 512;
        const string User = "Go on with the conversation.";
        string History(int c)
        {
            var text = $"Conversation {c}.";
            for (var i = 0; tokens(text, User).Length < Need - 64; i++)
            {
                text += $" Turn {i}: the user asked and the assistant answered.";
            }

            return text;
        }

        var histories = Enumerable.Range(0, Clients).Select(History).ToArray();
        var stats = new RunStats();
        await Measure(Clients, stats, c => ours.RunAsync("bench", histories[c], User, Need - tokens(histories[c], User).Length, stats));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Clients} conversations of {Need} tokens (prompt + max_tokens) in the KV memory of {FullContextSlots} full-context slots: " +
            $"at most {stats.MostConcurrent()} streaming at once ({stats.MostConcurrent() / (double)FullContextSlots:F1}x the {FullContextSlots} slots), " +
            $"{stats.TokensPerSecond:F1} output tok/s, TTFT p50 {stats.Ttft(50) * 1000:F0} ms, p99 {stats.Ttft(99) * 1000:F0} ms, wall {stats.Wall.TotalSeconds:F1} s"));
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

    /// <summary>
    /// A GenAI request as a client issues it: on a thread of its own (one generator per request, all started at once,
    /// not queued behind the thread pool's slow growth), timed from the moment it was issued, as the server's
    /// requests are timed from when they are sent: a generator waiting for a core counts, as a request waiting for a row does.
    /// </summary>
    internal static Task OnOwnThread(Action<long> run)
    {
        var issued = Stopwatch.GetTimestamp();
        return Task.Factory.StartNew(() => run(issued), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
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

    internal static async Task<WebApplication> StartServerAsync(string folder, int threads, int context, int kvMiB, IReadOnlyDictionary<string, string?> settings)
    {
        var app = ServerApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Models:0:Id"] = "bench",
                ["Models:0:Path"] = folder,
                ["Models:0:Thinking"] = "none",
                ["Models:0:MaxContextLength"] = context.ToString(CultureInfo.InvariantCulture),
                ["Models:0:MaxConcurrentSequences"] = "64",
                ["Models:0:KvCacheMiB"] = kvMiB.ToString(CultureInfo.InvariantCulture),
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
