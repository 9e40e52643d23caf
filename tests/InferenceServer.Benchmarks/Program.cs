using InferenceServer.Benchmarks.Embeddings;
using InferenceServer.Benchmarks.Serving;

namespace InferenceServer.Benchmarks;

/// <summary>
/// Benchmark scenarios, picked by the first argument:
/// <c>dotnet run -c Release --project tests/InferenceServer.Benchmarks -- SCENARIO [options]</c>.
/// Add a scenario: a folder with its own files, and one line in <see cref="Scenarios"/>.
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, (string Description, Func<string[], Task<int>> Run)> Scenarios = new(StringComparer.OrdinalIgnoreCase)
    {
        ["serving"] = ("chat serving: our server over HTTP vs ONNX Runtime GenAI on the same model folder, then the warm-prefix run", ServingScenario.RunAsync),
        ["embeddings"] = ("embeddings/second for batches of 1, 32 and 256 short sentences: server over HTTP vs the model in-process", EmbeddingsScenario.RunAsync),
    };

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || !Scenarios.TryGetValue(args[0], out var scenario))
        {
            Console.Error.WriteLine("usage: InferenceServer.Benchmarks SCENARIO [options]");
            foreach (var (name, (description, _)) in Scenarios)
            {
                Console.Error.WriteLine($"  {name,-12} {description}");
            }

            return args.Length == 0 ? 2 : 1;
        }

        return await scenario.Run(args[1..]);
    }
}
