using InferenceServer.Contracts;
using InferenceServer.Errors;

namespace InferenceServer.Chat;

/// <summary>
/// Reads DeepSeek's <c>safety_check</c> (chat, Anthropic Messages, Responses): <c>level</c> is <c>high</c> or
/// <c>low</c>; another value is a 400 naming <c>safety_check.level</c>. The level is accepted and has no effect: this
/// server runs no content-safety model.
/// </summary>
internal static class SafetyCheck
{
    public static IReadOnlyList<string> Levels { get; } = ["high", "low"];

    public static void Validate(SafetyCheckDto? check)
    {
        if (check?.Level is { } level && !Levels.Contains(level))
        {
            throw ApiException.InvalidFormat($"Invalid safety_check.level '{level}'; use 'high' or 'low'.", "safety_check.level");
        }
    }
}
