using System.Text.Json.Serialization;

namespace InferenceServer.Contracts;

public sealed class ResponseMessage
{
    public string Role { get; init; } = "assistant";

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Content { get; init; }

    /// <summary>The thinking before the answer; present in thinking mode only.</summary>
    public string? ReasoningContent { get; init; }

    /// <summary>The functions the model calls; <c>finish_reason</c> is then <c>tool_calls</c>.</summary>
    public List<ToolCallDto>? ToolCalls { get; init; }
}
