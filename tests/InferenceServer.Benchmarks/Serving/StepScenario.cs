using System.Diagnostics;
using System.Globalization;
using InferenceServer.ModelForge;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Benchmarks.Serving;

/// <summary>
/// One decode step on a bare ONNX Runtime session, by rows, for the fp32 bench model and its int4 build, alternating
/// between them so the shared machine's phases fall on both: what a batch of B rows costs against one row, the
/// figure that decides how much continuous batching can win over one generator per request.
/// </summary>
internal static class StepScenario
{
    private const int Past = 96;
    private const int Stride = 128;

    public static Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 1 && args[0] == "--rounds" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var cache = Path.Combine(Path.GetTempPath(), "inferenceserver-bench-models");
        (string Name, string Folder)[] models = [("bench (fp32)", DemoModels.EnsureBench(cache)), ("bench-int4", DemoModels.EnsureBenchInt4(cache))];
        int[] batches = [1, 2, 4, 8, 16];
        var best = new double[models.Length, batches.Length];
        for (var i = 0; i < best.Length; i++)
        {
            best[i / batches.Length, i % batches.Length] = double.MaxValue;
        }

        var sessions = models.Select(m => Open(m.Folder)).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var m = 0; m < models.Length; m++)
            {
                for (var b = 0; b < batches.Length; b++)
                {
                    best[m, b] = Math.Min(best[m, b], StepMs(sessions[m], batches[b]));
                }
            }
        }

        Console.WriteLine($"decode step on a bare session ({Environment.ProcessorCount} threads, {Past} positions past, best of {rounds} rounds of 20 steps)");
        Console.WriteLine();
        Console.WriteLine("| model | " + string.Join(" | ", batches.Select(b => $"{b} row{(b > 1 ? "s" : "")} ms")) + " | 16 rows / 1 row |");
        Console.WriteLine("|---|" + string.Concat(batches.Select(_ => "---:|")) + "---:|");
        for (var m = 0; m < models.Length; m++)
        {
            var row = string.Join(" | ", batches.Select((_, b) => best[m, b].ToString("F2", CultureInfo.InvariantCulture)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {models[m].Name} | {row} | {best[m, batches.Length - 1] / best[m, 0]:F1}x |"));
        }

        foreach (var s in sessions)
        {
            s.Dispose();
        }

        return Task.FromResult(0);
    }

    private static InferenceSession Open(string folder)
    {
        using var options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount, InterOpNumThreads = 1 };
        return new InferenceSession(Path.Combine(folder, "model.onnx"), options);
    }

    /// <summary>The best of 20 decode steps of <paramref name="batch"/> rows, each after <see cref="Past"/> positions.</summary>
    private static double StepMs(InferenceSession session, int batch)
    {
        var layers = session.InputNames.Count(n => n.EndsWith(".key", StringComparison.Ordinal));
        var kvShape = session.InputMetadata["past_key_values.0.key"].Dimensions;
        var kvHeads = kvShape[1];
        var headSize = kvShape[3];
        var values = new List<OrtValue>();
        using var binding = session.CreateIoBinding();
        var ids = new long[batch];
        var mask = new long[batch * Stride];
        for (var r = 0; r < batch; r++)
        {
            ids[r] = 7 + r;
            mask.AsSpan(r * Stride, Past + 1).Fill(1L);
        }

        values.Add(OrtValue.CreateTensorValueFromMemory(ids, [batch, 1]));
        binding.BindInput("input_ids", values[^1]);
        values.Add(OrtValue.CreateTensorValueFromMemory(mask, [batch, Stride]));
        binding.BindInput("attention_mask", values[^1]);
        for (var l = 0; l < layers; l++)
        {
            foreach (var kind in (string[])["key", "value"])
            {
                var kv = OrtValue.CreateTensorValueFromMemory(new float[batch * kvHeads * Stride * headSize], [batch, kvHeads, Stride, headSize]);
                values.Add(kv);
                binding.BindInput($"past_key_values.{l}.{kind}", kv);
                binding.BindOutput($"present.{l}.{kind}", kv);
            }
        }

        binding.BindOutputToDevice("logits", OrtMemoryInfo.DefaultInstance);
        using var run = new RunOptions();
        session.RunWithBinding(run, binding);
        var best = double.MaxValue;
        for (var i = 0; i < 20; i++)
        {
            var start = Stopwatch.GetTimestamp();
            session.RunWithBinding(run, binding);
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        foreach (var v in values)
        {
            v.Dispose();
        }

        return best;
    }
}
