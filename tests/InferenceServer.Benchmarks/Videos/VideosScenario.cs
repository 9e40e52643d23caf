using System.Diagnostics;
using System.Globalization;
using InferenceServer.Engine.Runtime;
using InferenceServer.Engine.Videos;
using InferenceServer.Videos;
using Microsoft.Extensions.Options;

namespace InferenceServer.Benchmarks.Videos;

/// <summary>
/// <c>videos</c>: a job's time through the server end to end (POST, queue, denoising, decode, FFmpeg, polling, download)
/// against the same pipeline called in-process on the same folder, as ratios (to the pipeline alone, and to the
/// pipeline plus the same FFmpeg encode); then videos per hour at 1 and 2 concurrent jobs. Options:
/// <c>--model-path</c> (a Wan-layout ONNX folder; default: the forge bench pipeline, <c>--hidden</c> channels),
/// <c>--size</c>, <c>--seconds</c>, <c>--fps</c>, <c>--steps</c>, <c>--guidance</c>, <c>--videos</c> (per measurement).
/// </summary>
internal static class VideosScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = VideosBenchmarkOptions.Parse(args);
        var folder = options.ModelPath ?? ModelForge.VideoModels.EnsureForgeBench(Path.Combine(Path.GetTempPath(), "inferenceserver-bench-models"), options.Hidden);
        var directory = Directory.CreateTempSubdirectory("inferenceserver-bench-videos").FullName;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"videos: {folder}, {options.Size}, {options.Seconds} s at {options.Fps} fps, {options.Steps} steps, guidance {options.Guidance}, {options.Videos} videos per measurement, {Environment.ProcessorCount} cores"));

        using var pipeline = VideoPipeline.Load(folder, new SessionFactory(new ExecutionProfileOptions()));
        var encoder = new VideoEncoder(new Ffmpeg(Options.Create(new VideoOptions())));
        if (encoder.Missing is { } missing)
        {
            Console.Error.WriteLine(missing);
            return 1;
        }

        try
        {
            await using var server = await VideoBenchmarkServer.StartAsync(folder, options, directory);
            var inProcess = new double[options.Videos];
            var inProcessEncoded = new double[options.Videos];
            var overHttp = new double[options.Videos];
            for (int i = 0; i < options.Videos; i++)
            {
                // Paired and interleaved, so both sides see the same machine load.
                (inProcess[i], inProcessEncoded[i]) = await TimeInProcessAsync(pipeline, encoder, options, directory, seed: i + 1);
                overHttp[i] = await server.TimeJobAsync(seed: i + 1);
            }

            double pipelineMedian = Median(inProcess);
            double encodedMedian = Median(inProcessEncoded);
            double serverMedian = Median(overHttp);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"per video (median of {options.Videos}): in-process pipeline {pipelineMedian:F0} ms, + FFmpeg encode {encodedMedian:F0} ms, server end to end {serverMedian:F0} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ratio server / pipeline {serverMedian / pipelineMedian:F3} (target <= 1.05); server / (pipeline + encode) {serverMedian / encodedMedian:F3}"));
            foreach (int concurrency in new[] { 1, 2 })
            {
                double perHour = await server.MeasureThroughputAsync(concurrency);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"throughput: {perHour:F0} videos/hour at {concurrency} concurrent job(s)"));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        return 0;
    }

    private static async Task<(double Pipeline, double WithEncode)> TimeInProcessAsync(VideoPipeline pipeline, VideoEncoder encoder, VideosBenchmarkOptions options, string directory, int seed)
    {
        int frames = options.Seconds * options.Fps;
        var request = new VideoGenerationRequest
        {
            Prompt = VideoBenchmarkServer.Prompt,
            Width = options.Width,
            Height = options.Height,
            Frames = VideoFrameRules.FramesToGenerate(frames),
            Steps = options.Steps,
            GuidanceScale = options.Guidance,
            Seed = seed,
        };
        var watch = Stopwatch.StartNew();
        var video = pipeline.Generate(request, null, CancellationToken.None);
        double generated = watch.Elapsed.TotalMilliseconds;
        var stem = Path.Combine(directory, "in-process");
        await encoder.EncodeAsync(video, frames, options.Fps, stem + ".mp4", stem + ".webp", stem + ".jpg", CancellationToken.None);
        return (generated, watch.Elapsed.TotalMilliseconds);
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
