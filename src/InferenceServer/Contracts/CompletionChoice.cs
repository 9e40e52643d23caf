using System.Text.Json.Serialization;

namespace InferenceServer.Contracts;

public sealed class CompletionChoice
{
    public required string Text { get; init; }

    public required int Index { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public CompletionLogprobs? Logprobs { get; init; }

    /// <summary><c>stop</c>, <c>length</c>, <c>insufficient_system_resource</c> or <c>aborted</c>; null on streamed chunks before the last.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FinishReason { get; init; }
}
