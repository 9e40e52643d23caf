namespace InferenceServer.Contracts;

public sealed class ChunkDelta
{
    public string? Role { get; init; }

    public string? Content { get; init; }

    public string? ReasoningContent { get; init; }

    /// <summary>OpenAI-style tool-call deltas: index, id and name first, then fragments of the arguments.</summary>
    public List<ToolCallDto>? ToolCalls { get; init; }
}
