using System.Diagnostics;
using System.Globalization;
using InferenceServer.Benchmarks.Serving;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Images;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Text;
using InferenceServer.Engine.Vision;
using InferenceServer.ModelForge.Demo;
using InferenceServer.ModelForge.Vision;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.OnnxRuntimeGenAI;
using SkiaSharp;

namespace InferenceServer.Benchmarks.Vision;

/// <summary>
/// <c>vision</c> (issue 13 §3, §4): the forge phi3v folder (the demo's <c>deepseek-v4-flash-vision-exp</c>) served by
/// our server over HTTP (streaming, the image as a data: URL part) against ONNX Runtime GenAI 0.18 in-process
/// (MultiModalProcessor + Generator per request) on the same folder and thread count, in one run:
/// A, time to first token of one image chat at a time; B, output tokens/s of concurrent image chats (GenAI: one
/// Generator per chat, each on its own thread); C, inter-token latency of text streams on the same model with and
/// without image requests arriving; then where one image request's time goes on each engine.
/// </summary>
internal static class VisionScenario
{
    private const string Model = "bench";
    private const string Question = "What colour is this?";
    private const int Context = 8192;

    /// <summary>
    /// A question after which the forge script never ends by itself: its <c>forever</c> trigger (one token at the start
    /// of a line, without a leading space) comes after the picture's.
    /// </summary>
    private static readonly string LongQuestion = $"{ForgeScripts.ForeverTrigger}: tell me about it.";

    /// <summary>max_tokens of a colour question: the forge answer (<c>The image is red.</c>) is 5 tokens, then EOS.</summary>
    private const int ColourTokens = 16;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = VisionBenchmarkOptions.Parse(args);
        var threads = Environment.ProcessorCount;
        var cache = Path.Combine(Path.GetTempPath(), "inferenceserver-bench-models");
        var folder = Phi3VisionModels.EnsureScripted(cache);
        var config = GenAiConfig.Load(Path.Combine(folder, "genai_config.json"));
        var bytesPerToken = 2L * config.NumLayers * config.NumKvHeads * config.HeadSize * sizeof(float);

        // Room for every request of the run at full context at once: the budget never makes one wait.
        var kvMiB = (int)Math.Ceiling((options.Clients + options.Streams + 32) * Context * bytesPerToken / (1024.0 * 1024.0));
        var images = new BenchImages(options.ImageSize);
        var template = ChatTemplate.Load(folder);

        // The prompt our server renders for an image part followed by a text part, which GenAI's processor expands.
        string Prompt(string question) => template.Render([new ChatMessage("user", VisionEncoder.Placeholder(1) + "\n" + question)], thinking: false).Text;
        Console.WriteLine($"vision model: {folder} (forge phi3v, hidden {config.HeadSize * config.NumHeads}, {config.NumLayers} layers), {threads} threads, " +
            $"{options.ImageSize}x{options.ImageSize} PNG per request ({images.Fresh(1)[0].Png.Length / 1024} KiB, a new picture each), greedy, load average {LoadAverage()}");

        await using var server = await ServingScenario.StartServerAsync(folder, threads, Context, kvMiB, options.Settings);
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(10) };
        var ours = new ServerClient(http);
        using var genai = new GenAiClient(folder, threads, vision: true);
        Task Ours((byte[] Png, string DataUrl) image, string question, int maxTokens, RunStats stats) => ours.RunWithImageAsync(Model, image.DataUrl, question, maxTokens, stats);

        // One of GenAI's generators per concurrent chat, each on a thread of its own (not the pool's few, which would
        // start the later ones late).
        Task GenAi((byte[] Png, string DataUrl) image, string question, int maxTokens, RunStats stats) => Task.Factory.StartNew(
            () => genai.RunWithImage(Prompt(question), image.Png, Context, maxTokens, config.EosTokenIds, stats),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        // Untimed warm-up for both engines alike (allocator arenas, the JIT past its tiering on the request path).
        var warmUp = new RunStats();
        for (var i = 0; i < 3; i++)
        {
            var batch = images.Fresh(options.Clients);
            await ServingScenario.Measure(options.Clients, warmUp, c => Ours(batch[c], LongQuestion, options.AnswerTokens, warmUp));
        }

        var genaiBatch = images.Fresh(options.Clients);
        await ServingScenario.Measure(options.Clients, warmUp, c => GenAi(genaiBatch[c], LongQuestion, options.AnswerTokens, warmUp));

        // A: one chat at a time, alternating between the engines.
        var singleOurs = new RunStats();
        var singleGenAi = new RunStats();
        foreach (var (a, b) in images.Fresh(options.Requests).Zip(images.Fresh(options.Requests)))
        {
            await ServingScenario.Measure(1, singleOurs, _ => Ours(a, Question, ColourTokens, singleOurs));
            await ServingScenario.Measure(1, singleGenAi, _ => GenAi(b, Question, ColourTokens, singleGenAi));
        }

        // B: concurrent chats, rounds alternating between the engines; the colour answer (5 tokens, so prefill-bound),
        // then answers of AnswerTokens tokens (the script's "forever" after the picture: it never ends by itself).
        var many = new List<(string Answer, RunStats Ours, RunStats GenAi)>();
        foreach (var (question, tokens) in new[] { (Question, ColourTokens), (LongQuestion, options.AnswerTokens) })
        {
            var oursStats = new RunStats();
            var genaiStats = new RunStats();
            for (var round = 0; round < options.Rounds; round++)
            {
                var forOurs = images.Fresh(options.Clients);
                var forGenAi = images.Fresh(options.Clients);
                await ServingScenario.Measure(options.Clients, oursStats, c => Ours(forOurs[c], question, tokens, oursStats));
                await ServingScenario.Measure(options.Clients, genaiStats, c => GenAi(forGenAi[c], question, tokens, genaiStats));
            }

            many.Add((tokens == ColourTokens ? "colour (5 tokens)" : $"{tokens} tokens", oursStats, genaiStats));
        }

        Console.WriteLine();
        Console.WriteLine($"Image chats (one {options.ImageSize}x{options.ImageSize} PNG, a new one each, and a question; TTFT includes the image's decode, HD transform, vision graph and prefill):");
        Console.WriteLine();
        Console.WriteLine("| clients | answer | engine | requests | req/s | output tok/s | TTFT p50 ms | TTFT p99 ms | ITL p50 ms | ITL p99 ms |");
        Console.WriteLine("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|");
        Row(1, "colour (5 tokens)", "InferenceServer (HTTP)", singleOurs);
        Row(1, "colour (5 tokens)", "ORT GenAI 0.18 (in-process)", singleGenAi);
        foreach (var (answer, oursStats, genaiStats) in many)
        {
            Row(options.Clients, answer, "InferenceServer (HTTP)", oursStats);
            Row(options.Clients, answer, "ORT GenAI 0.18 (in-process)", genaiStats);
        }

        var throughput = string.Join(", ", many.Select(m => string.Create(CultureInfo.InvariantCulture,
            $"{m.Ours.TokensPerSecond / m.GenAi.TokensPerSecond:F2}x ({m.Answer}, {m.Ours.OutputTokens / (double)m.Ours.Requests:F1} vs {m.GenAi.OutputTokens / (double)m.GenAi.Requests:F1} tokens per chat)")));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ours / GenAI: TTFT (1 client) p50 {singleOurs.Ttft(50) / singleGenAi.Ttft(50):F2}x, p99 {singleOurs.Ttft(99) / singleGenAi.Ttft(99):F2}x (target <= 1.0x); " +
            $"{options.Clients}-client output tok/s {throughput} (target >= 3x); load average {LoadAverage()}"));

        await StreamsAsync(ours, images, options);
        await BreakdownAsync(folder, threads, kvMiB, Prompt(Question), images, genai, ours);
        return 0;
    }

    /// <summary>
    /// C (§3): <see cref="VisionBenchmarkOptions.Streams"/> text streams that never end by themselves (the forge
    /// script's <c>forever</c>) on the vision model, alone and then while an image chat arrives every
    /// <see cref="VisionBenchmarkOptions.IntervalMs"/> ms: their inter-token latency.
    /// </summary>
    private static async Task StreamsAsync(ServerClient ours, BenchImages images, VisionBenchmarkOptions options)
    {
        Task Stream(int c, RunStats stats) => ours.RunAsync(Model, $"You are text stream {c}.", $"{ForgeScripts.ForeverTrigger}: count.", options.StreamTokens, stats);
        var quiet = new RunStats();
        await ServingScenario.Measure(options.Streams, quiet, c => Stream(c, quiet));

        var busy = new RunStats();
        var arrivals = new RunStats();
        // As many arrivals as fit the quiet run's duration: the same offered load whatever the machine's speed (an
        // open-ended stream of arrivals on a busy machine measures a queue that grows, not encoding beside streams).
        var pool = images.Fresh(Math.Max(1, (int)(quiet.Wall.TotalMilliseconds / options.IntervalMs)));
        await Task.Delay(200);
        var watch = Stopwatch.StartNew();
        var text = Task.WhenAll(Enumerable.Range(0, options.Streams).Select(c => Stream(c, busy)));
        var sent = new List<Task>();
        while (sent.Count < pool.Length && await Task.WhenAny(text, Task.Delay(options.IntervalMs)) != text)
        {
            sent.Add(ours.RunWithImageAsync(Model, pool[sent.Count].DataUrl, Question, ColourTokens, arrivals));
        }

        await text;
        busy.Wall = watch.Elapsed;
        await Task.WhenAll(sent);

        Console.WriteLine();
        Console.WriteLine($"{options.Streams} text streams of {options.StreamTokens} tokens on the vision model (ours, HTTP), alone and with an image chat arriving every {options.IntervalMs} ms (as many as fit the quiet run's {quiet.Wall.TotalSeconds:F1} s):");
        Console.WriteLine();
        Console.WriteLine("| image arrivals | images sent | tokens per stream | text output tok/s | ITL p50 ms | ITL p99 ms | ITL max ms | image TTFT p50 ms | image TTFT p99 ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| none | 0 | {quiet.OutputTokens / quiet.Requests} | {quiet.TokensPerSecond:F1} | {quiet.Itl(50) * 1000:F1} | {quiet.Itl(99) * 1000:F1} | {quiet.Itl(100) * 1000:F1} | – | – |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| every {options.IntervalMs} ms | {sent.Count} | {busy.OutputTokens / busy.Requests} | {busy.TokensPerSecond:F1} | {busy.Itl(50) * 1000:F1} | {busy.Itl(99) * 1000:F1} | {busy.Itl(100) * 1000:F1} | {arrivals.Ttft(50) * 1000:F0} | {arrivals.Ttft(99) * 1000:F0} |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"text ITL p99 with image arrivals / without: {busy.Itl(99) / quiet.Itl(99):F2}x; load average {LoadAverage()}"));
    }

    /// <summary>Where one image chat's time goes, stage by stage, on each engine (median of 5, one at a time).</summary>
    private static async Task BreakdownAsync(string folder, int threads, int kvMiB, string prompt, BenchImages images, GenAiClient genai, ServerClient server)
    {
        using var model = TextModelLoader.Load(
            new ModelOptions
            {
                Id = "breakdown",
                Path = folder,
                MaxContextLength = Context,
                MaxConcurrentSequences = 64,
                KvCacheMiB = kvMiB,
                PrefillChunkTokens = 512,
                Thinking = "none",
            },
            new SessionFactory(new ExecutionProfileOptions { IntraOpThreads = threads }));
        var stages = new[] { "PNG decode", "HD transform alone", "VisionEncoder.Encode (HD transform, prompt expand, vision graph)", "prefill + first token (scheduler, chunks of 512)" };
        var ours = stages.Select(_ => new List<double>()).ToArray();
        var theirs = new[] { "Images.Load (PNG decode)", "ProcessImages (HD transform, expand)", "Generator + SetInputs (vision graph, embedding, prefill)", "first GenerateNextToken" }
            .Select(name => (name, new List<double>())).ToArray();
        var overHttp = new RunStats();
        foreach (var (png, _) in images.Fresh(6))
        {
            // The same moment's TTFT of a whole request over HTTP to the server (another picture), to set the stages against.
            await Task.Delay(200);
            await server.RunWithImageAsync(Model, images.Fresh(1)[0].DataUrl, Question, ColourTokens, overHttp);
            await Task.Delay(200);

            var watch = Stopwatch.StartNew();
            var rgb = Decode(png);
            ours[0].Add(Lap(watch));
            Phi3ImageProcessor.Process(rgb);
            ours[1].Add(Lap(watch));
            var (ids, encoded) = model.Vision!.Encode(prompt, [rgb]);
            ours[2].Add(Lap(watch));
            using (var handle = model.Submit(new GenerationRequest(ids, 1, SamplingOptions.Greedy, [], false) { Images = encoded }, CancellationToken.None))
            {
                await foreach (var e in handle.ReadAllAsync(CancellationToken.None))
                {
                    if (e is TextDelta or GenerationFinished)
                    {
                        break;
                    }
                }
            }

            ours[3].Add(Lap(watch));

            await Task.Delay(200);
            watch.Restart();
            using var processor = new MultiModalProcessor(genai.Model);
            using var loaded = Microsoft.ML.OnnxRuntimeGenAI.Images.Load(png);
            theirs[0].Item2.Add(Lap(watch));
            using var inputs = processor.ProcessImages(prompt, loaded);
            theirs[1].Item2.Add(Lap(watch));
            using var parameters = new GeneratorParams(genai.Model);
            parameters.SetSearchOption("max_length", Context);
            parameters.SetSearchOption("do_sample", false);
            using var generator = new Generator(genai.Model, parameters);
            generator.SetInputs(inputs);
            theirs[2].Item2.Add(Lap(watch));
            generator.GenerateNextToken();
            theirs[3].Item2.Add(Lap(watch));
            await Task.Delay(200);
        }

        // The first sample of each pays one-off costs; the medians are of the other five.
        static double Median(List<double> v) => v.Skip(1).Order().ElementAt((v.Count - 1) / 2);
        Console.WriteLine();
        Console.WriteLine("Where one image chat's time goes, in-process, one at a time (median of 5 ms; ours: the server's own stages, loaded beside it; PNG decode here is SkiaSharp's, as the server's):");
        Console.WriteLine();
        Console.WriteLine("| engine | stage | ms |");
        Console.WriteLine("|---|---|---:|");
        for (var i = 0; i < stages.Length; i++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| InferenceServer | {stages[i]} | {Median(ours[i]):F1} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| InferenceServer | the whole request over HTTP (TTFT p50 of 6, same moments) | {overHttp.Ttft(50) * 1000:F1} |"));
        foreach (var (name, values) in theirs)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| ORT GenAI 0.18 | {name} | {Median(values):F1} |"));
        }
    }

    private static void Row(int clients, string answer, string engine, RunStats s) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {clients} | {answer} | {engine} | {s.Requests} | {s.RequestsPerSecond:F2} | {s.TokensPerSecond:F1} | {s.Ttft(50) * 1000:F0} | {s.Ttft(99) * 1000:F0} | {s.Itl(50) * 1000:F1} | {s.Itl(99) * 1000:F1} |"));

    /// <summary>Milliseconds since the last lap, and the watch restarted.</summary>
    private static double Lap(Stopwatch watch)
    {
        var ms = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        return ms;
    }

    /// <summary>The PNG as RGB pixels, as the server's image decoder makes them (SkiaSharp, RGBA, alpha dropped).</summary>
    private static RgbImage Decode(byte[] png)
    {
        using var codec = SKCodec.Create(new MemoryStream(png));
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        codec.GetPixels(info, bitmap.GetPixels());
        var rgba = bitmap.GetPixelSpan();
        var rgb = new byte[bitmap.Width * bitmap.Height * 3];
        for (int p = 0, q = 0; q < rgb.Length; p += 4, q += 3)
        {
            rgb[q] = rgba[p];
            rgb[q + 1] = rgba[p + 1];
            rgb[q + 2] = rgba[p + 2];
        }

        return new RgbImage(bitmap.Width, bitmap.Height, rgb);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
