using System.Text.Json.Serialization;

namespace InferenceServer.Contracts;

public sealed class ChunkChoice
{
    public required int Index { get; init; }

    public required ChunkDelta Delta { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ChoiceLogprobs? Logprobs { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FinishReason { get; init; }
}
