using System.Globalization;

namespace InferenceServer.Benchmarks.Vision;

/// <summary>Command-line options of the <c>vision</c> scenario.</summary>
/// <param name="Requests">Phase A: single-client image requests per engine (<c>--requests N</c>, default 8).</param>
/// <param name="Clients">Phase B: concurrent image chats (<c>--clients N</c>, default 8).</param>
/// <param name="Rounds">Phase B: timed rounds per engine (<c>--rounds K</c>, default 3), alternating.</param>
/// <param name="ImageSize">The PNG's side in pixels (<c>--image-size</c>, default 672: the HD transform makes 4 × 4 crops).</param>
/// <param name="Streams">Phase C: text streams (<c>--streams N</c>, default 4).</param>
/// <param name="StreamTokens">Phase C: <c>max_tokens</c> of each text stream (<c>--stream-tokens N</c>, default 8,000; the context is 8,192).</param>
/// <param name="IntervalMs">Phase C: milliseconds between image arrivals (<c>--interval-ms N</c>, default 1,000: an image request is 0.3–0.6 s of work on 2 cores, so arrivals stay below saturation).</param>
/// <param name="AnswerTokens">Phase B: output tokens of the long-answer image chats (<c>--answer-tokens N</c>, default 64).</param>
/// <param name="Settings">Server configuration overrides (<c>--set Key=Value</c>, repeatable).</param>
internal sealed record VisionBenchmarkOptions(
    int Requests, int Clients, int Rounds, int ImageSize, int Streams, int StreamTokens, int IntervalMs, int AnswerTokens, IReadOnlyDictionary<string, string?> Settings)
{
    public static VisionBenchmarkOptions Parse(string[] args)
    {
        var o = new VisionBenchmarkOptions(8, 8, 3, 672, 4, 8000, 1000, 64, new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase));
        var settings = (Dictionary<string, string?>)o.Settings;
        for (var i = 0; i < args.Length; i++)
        {
            int Next() => int.Parse(args[++i], CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--requests" when i + 1 < args.Length => o with { Requests = Next() },
                "--clients" when i + 1 < args.Length => o with { Clients = Next() },
                "--rounds" when i + 1 < args.Length => o with { Rounds = Next() },
                "--image-size" when i + 1 < args.Length => o with { ImageSize = Next() },
                "--streams" when i + 1 < args.Length => o with { Streams = Next() },
                "--stream-tokens" when i + 1 < args.Length => o with { StreamTokens = Next() },
                "--interval-ms" when i + 1 < args.Length => o with { IntervalMs = Next() },
                "--answer-tokens" when i + 1 < args.Length => o with { AnswerTokens = Next() },
                "--set" when i + 1 < args.Length && args[i + 1].Contains('=', StringComparison.Ordinal) => Set(o, settings, args[++i]),
                _ => throw new ArgumentException(
                    $"unknown option '{args[i]}'; use --requests N, --clients N, --rounds K, --image-size PX, --streams N, --stream-tokens N, --interval-ms MS, --answer-tokens N, --set Key=Value"),
            };
        }

        return o;
    }

    private static VisionBenchmarkOptions Set(VisionBenchmarkOptions o, Dictionary<string, string?> settings, string pair)
    {
        var parts = pair.Split('=', 2);
        settings[parts[0]] = parts[1];
        return o;
    }
}
