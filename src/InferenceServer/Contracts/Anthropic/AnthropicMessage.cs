using System.Text.Json.Serialization;

namespace InferenceServer.Contracts.Anthropic;

/// <summary>A Messages API response (and, with empty content, the message of a stream's <c>message_start</c>).</summary>
public sealed class AnthropicMessage
{
    public required string Id { get; init; }

    public string Type { get; init; } = "message";

    public string Role { get; init; } = "assistant";

    public required string Model { get; init; }

    public required List<AnthropicContentBlock> Content { get; init; }

    /// <summary><c>end_turn</c>, <c>max_tokens</c> or <c>tool_use</c>; null in <c>message_start</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? StopReason { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? StopSequence { get; init; }

    public required AnthropicUsage Usage { get; init; }
}
