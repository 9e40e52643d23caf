namespace InferenceServer.Chat;

/// <summary>
/// DeepSeek's reasoning effort levels (Sep 2026): <c>none</c> (thinking off), <c>low</c>, <c>high</c>, <c>max</c>, and
/// other vendors' names mapped onto them as DeepSeek maps them: <c>minimal</c> → <c>low</c>, <c>medium</c> and
/// <c>xhigh</c> → <c>high</c>, <c>ultra</c> → <c>max</c>. Shared by chat's <c>reasoning_effort</c>, the Anthropic
/// route's <c>output_config.effort</c> and the Responses API's <c>reasoning.effort</c>.
/// </summary>
internal static class ReasoningEffort
{
    public const string None = "none";
    public const string Max = "max";

    private static readonly string[] Levels = [None, "low", "high", Max];

    private static readonly Dictionary<string, string> Mapped = new(StringComparer.Ordinal)
    {
        ["minimal"] = "low",
        ["medium"] = "high",
        ["xhigh"] = "high",
        ["ultra"] = Max,
    };

    /// <summary>What an error message lists: the levels, then the mapped names.</summary>
    public static string Expected { get; } =
        $"use one of: {string.Join(", ", Levels)} (also accepted: {string.Join(", ", Mapped.Select(m => $"{m.Key} as {m.Value}"))})";

    /// <summary>The level <paramref name="effort"/> stands for; false for a name DeepSeek does not accept.</summary>
    public static bool TryNormalize(string effort, out string level)
    {
        if (Levels.Contains(effort))
        {
            level = effort;
            return true;
        }

        return Mapped.TryGetValue(effort, out level!);
    }
}
