using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Text;
using InferenceServer.Engine.Text.Tokenization;
using InferenceServer.Hosting;
using InferenceServer.ModelForge;
using InferenceServer.ModelForge.Demo;
using InferenceServer.ModelForge.Llama2c;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceServer.Benchmarks.Serving;

/// <summary>
/// The <c>speculation</c> scenario: prompt-lookup speculative decoding against plain decoding in the same server (the
/// same folder loaded twice, <c>plain</c> with speculation off and <c>spec</c> with it forced on at every batch size)
/// and against ONNX Runtime GenAI in-process, greedy, on two workloads: <c>quote</c> (the bench-sized forge model that
/// quotes its prompt's 100-word passage with two edits, as code editing does) and <c>stories260k</c> (real weights
/// that repeat themselves). Prints tokens/s and the acceptance rate (from <c>/metrics</c>) at each concurrency, so the
/// crossover where speculation stops paying can be read off and <see cref="SpeculationOptions.MaxBatch"/> set from it.
/// </summary>
internal static class SpeculationScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        int[] clients = [1, 2, 4];
        var rounds = 6;
        string[] workloads = ["quote", ServingBenchmarkOptions.Stories];
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--clients" when i + 1 < args.Length:
                    clients = [.. args[++i].Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))];
                    break;
                case "--rounds" when i + 1 < args.Length:
                    rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--model" when i + 1 < args.Length:
                    workloads = args[++i].Split(',');
                    break;
                default:
                    Console.Error.WriteLine($"unknown option '{args[i]}'; use --clients 1,2,4, --rounds K, --model quote,stories260k");
                    return 2;
            }
        }

        var threads = Environment.ProcessorCount;
        var cache = Path.Combine(Path.GetTempPath(), "inferenceserver-bench-models");
        foreach (var workload in workloads)
        {
            await RunWorkloadAsync(workload, cache, threads, clients, rounds);
        }

        return 0;
    }

    private static async Task RunWorkloadAsync(string workload, string cache, int threads, int[] clients, int rounds)
    {
        var quote = workload != ServingBenchmarkOptions.Stories;
        var sw = Stopwatch.StartNew();
        var folder = quote ? DemoModels.EnsureQuote(cache, benchSize: true) : Stories260K.Ensure(cache);
        var outputTokens = quote ? 128 : 200;
        Console.WriteLine();
        Console.WriteLine($"{workload}: {folder} (ready in {sw.Elapsed.TotalSeconds:F1} s), {threads} threads, up to {outputTokens} output tokens per request, greedy");

        await using var server = await StartAsync(folder, threads, quote ? 2048 : 512);
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(10) };
        var ours = new ServerClient(http);
        using var genai = new GenAiClient(folder, threads);
        var tokenizer = BpeTokenizer.Load(Path.Combine(folder, "tokenizer.json"));
        var template = ChatTemplate.Load(folder);
        int[] Tokens(string system, string user) =>
            tokenizer.Encode(template.Render([new ChatMessage("system", system), new ChatMessage("user", user)], thinking: false).Text);
        string System(int c) => $"You are benchmark client {c}.";
        string User(int r) => quote ? $"Request {r}. The text:{QuoteScript.Passage}. Please{QuoteScript.Trigger} it with the fixes." : $"Request {r}: tell a story.";

        // Untimed warm-up of every path (both server models, GenAI), at the largest concurrency.
        var warm = new RunStats();
        for (var i = 0; i < 3; i++)
        {
            await ServingScenario.Measure(clients.Max(), warm, c => ours.RunAsync("plain", System(c), User(-1), outputTokens, warm));
            await ServingScenario.Measure(clients.Max(), warm, c => ours.RunAsync("spec", System(c), User(-1), outputTokens, warm));
        }

        await ServingScenario.Measure(clients.Max(), warm, c => ServingScenario.OnOwnThread(issued => genai.Run(Tokens(System(c), User(-1)), outputTokens, warm, issued)));

        Console.WriteLine();
        Console.WriteLine("| clients | engine | requests | output tok/s | tokens/request | acceptance | TTFT p50 ms | ITL p50 ms | ITL p99 ms |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        var ratios = new List<string>();
        foreach (var n in clients)
        {
            var plain = new RunStats();
            var spec = new RunStats();
            var gen = new RunStats();
            var before = await SpeculationCountersAsync(http);
            for (var round = 0; round < rounds; round++)
            {
                var r = round;
                await ServingScenario.Measure(n, plain, c => ours.RunAsync("plain", System(c), User(r), outputTokens, plain));
                await ServingScenario.Measure(n, spec, c => ours.RunAsync("spec", System(c), User(r), outputTokens, spec));
                await ServingScenario.Measure(n, gen, c => ServingScenario.OnOwnThread(issued => genai.Run(Tokens(System(c), User(r)), outputTokens, gen, issued)));
            }

            var after = await SpeculationCountersAsync(http);
            var drafted = after.Drafted - before.Drafted;
            var accepted = after.Accepted - before.Accepted;
            var acceptance = drafted == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{accepted / drafted:P0} of {drafted:F0}");
            Row(n, "InferenceServer, plain", plain, "-");
            Row(n, "InferenceServer, speculation", spec, acceptance);
            Row(n, "ORT GenAI 0.18 (in-process)", gen, "-");
            ratios.Add(string.Create(CultureInfo.InvariantCulture,
                $"N={n}: speculation/plain {spec.TokensPerSecond / plain.TokensPerSecond:F2}x, speculation/GenAI {spec.TokensPerSecond / gen.TokensPerSecond:F2}x"));
        }

        Console.WriteLine();
        Console.WriteLine($"{workload}: " + string.Join("; ", ratios));
    }

    private static void Row(int clients, string engine, RunStats s, string acceptance) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {clients} | {engine} | {s.Requests} | {s.TokensPerSecond:F1} | {s.OutputTokens / (double)s.Requests:F0} | {acceptance} | {s.Ttft(50) * 1000:F0} | {s.Itl(50) * 1000:F2} | {s.Itl(99) * 1000:F1} |"));

    /// <summary>The <c>spec</c> model's drafted and accepted token counters from <c>/metrics</c>.</summary>
    private static async Task<(double Drafted, double Accepted)> SpeculationCountersAsync(HttpClient http)
    {
        var text = await http.GetStringAsync("metrics");
        double Read(string name)
        {
            var m = Regex.Match(text, $"^inferenceserver_{name}\\{{model_name=\"spec\"\\}} (\\S+)$", RegexOptions.Multiline);
            return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        }

        return (Read("spec_decode_num_draft_tokens_total"), Read("spec_decode_num_accepted_tokens_total"));
    }

    /// <summary>One server, the folder loaded twice: <c>plain</c> (speculation off) and <c>spec</c> (on at any batch size).</summary>
    private static async Task<WebApplication> StartAsync(string folder, int threads, int context)
    {
        var app = ServerApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var settings = new Dictionary<string, string?>
            {
                ["Runtime:IntraOpThreads"] = threads.ToString(CultureInfo.InvariantCulture),
                ["Serilog:MinimumLevel:Default"] = "Warning",
            };
            string[] ids = ["plain", "spec"];
            for (var i = 0; i < ids.Length; i++)
            {
                settings[$"Models:{i}:Id"] = ids[i];
                settings[$"Models:{i}:Path"] = folder;
                settings[$"Models:{i}:Thinking"] = "none";
                settings[$"Models:{i}:MaxContextLength"] = context.ToString(CultureInfo.InvariantCulture);
                settings[$"Models:{i}:MaxConcurrentSequences"] = "16";
                settings[$"Models:{i}:PrefillChunkTokens"] = "512";
                settings[$"Models:{i}:PrefixCacheMiB"] = "0";
            }

            settings["Models:0:Speculation:MaxDraftTokens"] = "0";
            settings["Models:1:Speculation:MaxBatch"] = "16";
            builder.Configuration.AddInMemoryCollection(settings);
        });
        await app.StartAsync();
        return app;
    }
}
