using InferenceServer.Contracts;
using InferenceServer.Engine.Models;

namespace InferenceServer.Chat;

/// <summary>
/// Whether a request thinks: the served name's default, then <c>thinking.type</c>, then <c>reasoning_effort: none</c>
/// (<see cref="ReasoningEffort"/>; the Anthropic route's <c>output_config.effort</c> arrives as <c>reasoning_effort</c>).
/// </summary>
internal static class ThinkingMode
{
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

        if (r.ReasoningEffort is { } effort && ReasoningEffort.TryNormalize(effort, out var level) && level == ReasoningEffort.None)
        {
            thinking = false;
        }

        return thinking;
    }
}
