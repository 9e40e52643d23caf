using System.Text.Json;
using System.Text.RegularExpressions;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>The instructions of a Dockerfile's final stage that say how the container runs.</summary>
public sealed partial class Dockerfile
{
    public required string Text { get; init; }

    public required IReadOnlyDictionary<string, string> Env { get; init; }

    public required IReadOnlyList<string> Entrypoint { get; init; }

    public required IReadOnlyList<string> HealthCheck { get; init; }

    public required string WorkDir { get; init; }

    public required string User { get; init; }

    public required IReadOnlyList<int> Expose { get; init; }

    public required string RuntimeBase { get; init; }

    public static Dockerfile Load(string path)
    {
        var text = File.ReadAllText(path);
        var instructions = Continued().Replace(text, " ").Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        var finalStage = instructions.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase));
        var stage = instructions.Skip(finalStage).ToList();
        var args = instructions.Take(instructions.FindIndex(l => l.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase)))
            .Where(l => l.StartsWith("ARG ", StringComparison.OrdinalIgnoreCase))
            .Select(l => l[4..].Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty);

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in stage.Where(l => l.StartsWith("ENV ", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (Match m in EnvPair().Matches(line[4..]))
            {
                env[m.Groups[1].Value] = m.Groups[2].Value;
            }
        }

        string Arg(string instruction) => stage.Last(l => l.StartsWith(instruction + " ", StringComparison.OrdinalIgnoreCase))[(instruction.Length + 1)..].Trim();
        var from = Arg("FROM").Split(' ')[0];
        var runtimeBase = from.StartsWith("${", StringComparison.Ordinal) ? args[from[2..^1]] : from;
        var health = Arg("HEALTHCHECK");
        return new Dockerfile
        {
            Text = text,
            Env = env,
            Entrypoint = JsonSerializer.Deserialize<string[]>(Arg("ENTRYPOINT"))!,
            HealthCheck = JsonSerializer.Deserialize<string[]>(health[(health.IndexOf("CMD ", StringComparison.Ordinal) + 4)..])!,
            WorkDir = Arg("WORKDIR"),
            User = Arg("USER"),
            Expose = [.. stage.Where(l => l.StartsWith("EXPOSE ", StringComparison.OrdinalIgnoreCase)).SelectMany(l => l[7..].Split(' ')).Select(int.Parse)],
            RuntimeBase = runtimeBase,
        };
    }

    [GeneratedRegex(@"\\\r?\n")]
    private static partial Regex Continued();

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)=(""[^""]*""|\S+)")]
    private static partial Regex EnvPair();
}
