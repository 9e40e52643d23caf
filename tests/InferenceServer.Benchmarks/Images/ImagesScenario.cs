using System.Diagnostics;
using System.Globalization;
using InferenceServer.Engine.Images;
using InferenceServer.Engine.Runtime;
using InferenceServer.Images;
using InferenceServer.ModelForge;
using InferenceServer.ModelForge.Diffusion;

namespace InferenceServer.Benchmarks.Images;

/// <summary>
/// <c>images</c>: server end-to-end time per image (HTTP, validation, admission, PNG encoding, base64) against the
/// same pipeline called in-process on the same model folder, as a ratio; then images per minute at 1 and 4
/// concurrent requests. Options: <c>--model-path</c> (a diffusers ONNX folder; default: a forge pipeline, <c>--pipeline bench|demo</c>),
/// <c>--size</c>, <c>--steps</c>, <c>--guidance</c>, <c>--images</c> (per measurement).
/// </summary>
internal static class ImagesScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = ImagesBenchmarkOptions.Parse(args);
        var folder = options.ModelPath ?? DiffusionModels.EnsureForge(
            Path.Combine(Path.GetTempPath(), "inferenceserver-bench-models"),
            options.Pipeline == "demo" ? new ForgeDiffusionSpec() : ForgeDiffusionSpec.Bench);
        Console.WriteLine($"images: {folder}, {options.Size}, {options.Steps} steps, guidance {options.Guidance}, {options.Images} images per measurement, {Environment.ProcessorCount} cores");

        using var pipeline = DiffusionPipeline.Load(folder, new SessionFactory(new ExecutionProfileOptions()));
        await using var server = await BenchmarkServer.StartAsync(folder, options);
        var inProcess = new double[options.Images];
        var inProcessEncoded = new double[options.Images];
        var overHttp = new double[options.Images];
        for (int i = 0; i < options.Images; i++)
        {
            // Paired and interleaved, so both sides see the same machine load.
            (inProcess[i], inProcessEncoded[i]) = TimeInProcess(pipeline, options, seed: i + 1);
            overHttp[i] = await server.TimeRequestAsync(seed: i + 1);
        }

        double pipelineMedian = Median(inProcess);
        double encodedMedian = Median(inProcessEncoded);
        double serverMedian = Median(overHttp);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per image (median of {options.Images}): in-process pipeline {pipelineMedian:F1} ms, server end to end {serverMedian:F1} ms, ratio {serverMedian / pipelineMedian:F3} (target <= 1.05)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per image (median): in-process pipeline + PNG encode {encodedMedian:F1} ms, ratio server / that {serverMedian / encodedMedian:F3} (HTTP, JSON, base64, admission)"));
        var sample = pipeline.Generate(new ImageGenerationRequest(BenchmarkServer.Prompt, options.Width, options.Height, 1)
        {
            Steps = options.Steps,
            GuidanceScale = options.Guidance,
        }, CancellationToken.None).Image;
        foreach (var format in ImageEncoder.Formats)
        {
            ImageEncoder.Encode(sample, format, 100);
            var watch = Stopwatch.StartNew();
            var bytes = ImageEncoder.Encode(sample, format, 100);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"encode {format}: {watch.Elapsed.TotalMilliseconds:F1} ms, {bytes.Length / 1024.0:F0} KiB"));
        }

        foreach (int concurrency in new[] { 1, 4 })
        {
            double perMinute = await server.MeasureThroughputAsync(options, concurrency);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"throughput: {perMinute:F0} images/minute at {concurrency} concurrent request(s)"));
        }

        return 0;
    }

    private static (double Pipeline, double WithEncode) TimeInProcess(DiffusionPipeline pipeline, ImagesBenchmarkOptions options, int seed)
    {
        var request = new ImageGenerationRequest(BenchmarkServer.Prompt, options.Width, options.Height, seed)
        {
            Steps = options.Steps,
            GuidanceScale = options.Guidance,
        };
        var watch = Stopwatch.StartNew();
        var image = pipeline.Generate(request, CancellationToken.None).Image;
        double generated = watch.Elapsed.TotalMilliseconds;
        ImageEncoder.Encode(image, "png", 100);
        return (generated, watch.Elapsed.TotalMilliseconds);
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
