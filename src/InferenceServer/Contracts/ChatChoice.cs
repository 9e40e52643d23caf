using System.Text.Json.Serialization;

namespace InferenceServer.Contracts;

public sealed class ChatChoice
{
    public required int Index { get; init; }

    public required ResponseMessage Message { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ChoiceLogprobs? Logprobs { get; init; }

    /// <summary><c>stop</c>, <c>length</c>, <c>tool_calls</c>, <c>content_filter</c>, <c>insufficient_system_resource</c> (drain deadline) or <c>aborted</c> (a failed run).</summary>
    public required string FinishReason { get; init; }
}
