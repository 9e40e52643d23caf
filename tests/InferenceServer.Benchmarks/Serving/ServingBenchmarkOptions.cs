using System.Globalization;

namespace InferenceServer.Benchmarks.Serving;

/// <summary>Command-line options of the <c>serving</c> scenario.</summary>
/// <param name="Clients">The concurrencies to run (<c>--clients 1,4,16</c>, the default).</param>
/// <param name="Settings">Server configuration overrides (<c>--set Runtime:AllowSpinning=true</c>, repeatable), to
/// compare settings against the same GenAI baseline.</param>
/// <param name="Rounds">Timed rounds per engine and concurrency (<c>--rounds K</c>); default 8 at 1 client, 4 at 4, 2 at 16.</param>
/// <param name="WarmPrefix">Whether the warm-prefix scenario runs (<c>--no-warm-prefix</c> skips it).</param>
/// <param name="Conversations">Whether the KV-budget scenario runs (<c>--no-conversations</c> skips it): 64 concurrent
/// 512-token conversations in the KV memory 4 full-context slots took.</param>
/// <param name="Model">
/// <c>bench</c> (default: the 46M-parameter random forge model), <c>bench-int4</c> (the same model with every linear
/// layer quantized by the forge to MatMulNBits, 4 bits, block 32, accuracy level 4, as real CPU exports are) or
/// <c>stories260k</c> (<c>--model stories260k</c>: the real 260K-parameter llama2.c model; its context of 512 tokens
/// leaves the 1,024-token warm-prefix and 512-token conversation scenarios out).
/// </param>
internal sealed record ServingBenchmarkOptions(int[] Clients, IReadOnlyDictionary<string, string?> Settings, int? Rounds, bool WarmPrefix, bool Conversations, string Model = "bench")
{
    public const string Stories = "stories260k";

    public const string BenchInt4 = "bench-int4";

    public static ServingBenchmarkOptions Parse(string[] args)
    {
        int[] clients = [1, 4, 16];
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var warmPrefix = true;
        var conversations = true;
        int? rounds = null;
        var model = "bench";
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--clients" when i + 1 < args.Length:
                    clients = args[++i].Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
                    break;
                case "--set" when i + 1 < args.Length && args[i + 1].Contains('=', StringComparison.Ordinal):
                    var pair = args[++i].Split('=', 2);
                    settings[pair[0]] = pair[1];
                    break;
                case "--rounds" when i + 1 < args.Length:
                    rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--model" when i + 1 < args.Length && args[i + 1] is "bench" or BenchInt4 or Stories:
                    model = args[++i];
                    break;
                case "--no-warm-prefix":
                    warmPrefix = false;
                    break;
                case "--no-conversations":
                    conversations = false;
                    break;
                default:
                    throw new ArgumentException($"unknown option '{args[i]}'; use --clients 1,4,16, --rounds K, --set Key=Value, --no-warm-prefix, --no-conversations, --model bench|bench-int4|stories260k");
            }
        }

        return new ServingBenchmarkOptions(clients, settings, rounds, warmPrefix && model != Stories, conversations && model != Stories, model);
    }
}
