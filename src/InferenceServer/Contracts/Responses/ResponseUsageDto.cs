namespace InferenceServer.Contracts.Responses;

public sealed class ResponseUsageDto
{
    public int InputTokens { get; init; }

    /// <summary><c>cached_tokens</c>: the prompt tokens served from the prefix cache.</summary>
    public required ResponseInputTokensDetails InputTokensDetails { get; init; }

    public int OutputTokens { get; init; }

    /// <summary><c>reasoning_tokens</c>: the output tokens spent on reasoning.</summary>
    public required ResponseOutputTokensDetails OutputTokensDetails { get; init; }

    public int TotalTokens { get; init; }
}
