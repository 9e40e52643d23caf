namespace InferenceServer.Contracts;

public sealed class ChunkDelta
{
    public string? Role { get; init; }

    public string? Content { get; init; }

    public string? ReasoningContent { get; init; }
}
