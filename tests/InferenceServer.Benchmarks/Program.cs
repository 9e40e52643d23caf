using InferenceServer.Benchmarks.Bodies;
using InferenceServer.Benchmarks.Embeddings;
using InferenceServer.Benchmarks.Images;
using InferenceServer.Benchmarks.Serving;
using InferenceServer.Benchmarks.Soak;
using InferenceServer.Benchmarks.Videos;
using InferenceServer.Benchmarks.Vision;

// Benchmark scenarios, one per first argument; each prints its figures and ratios. Not run by `dotnet test`.
return args.FirstOrDefault() switch
{
    "images" => await ImagesScenario.RunAsync(args[1..]),
    "serving" => await ServingScenario.RunAsync(args[1..]),
    "speculation" => await SpeculationScenario.RunAsync(args[1..]),
    "steps" => await StepScenario.RunAsync(args[1..]),
    "embeddings" => await EmbeddingsScenario.RunAsync(args[1..]),
    "soak" => await SoakScenario.RunAsync(args[1..]),
    "bodies" => await BodiesScenario.RunAsync(args[1..]),
    "videos" => await VideosScenario.RunAsync(args[1..]),
    "vision" => await VisionScenario.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project tests/InferenceServer.Benchmarks -- <scenario> [options]");
    Console.Error.WriteLine("scenarios: images, serving, speculation, steps, embeddings, soak, bodies, videos, vision");
    return 2;
}
