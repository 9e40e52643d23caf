using InferenceServer.Contracts;
using InferenceServer.Engine.Models;

namespace InferenceServer.Chat;

/// <summary>Whether a request thinks: the served name's default, then <c>thinking.type</c>, then <c>reasoning_effort: none</c>.</summary>
internal static class ThinkingMode
{
    public static IReadOnlyList<string> KnownEfforts { get; } = ["none", "minimal", "low", "medium", "high", "xhigh", "max", "ultra"];

    public static bool Resolve(ServedModel served, ChatCompletionRequest r)
    {
        if (!served.CanThink)
        {
            return false;
        }

        var thinking = served.ThinkingByDefault;
        if (r.Thinking?.Type is { } type)
        {
            thinking = type == "enabled";
        }

        if (r.ReasoningEffort == "none")
        {
            thinking = false;
        }

        return thinking;
    }
}
