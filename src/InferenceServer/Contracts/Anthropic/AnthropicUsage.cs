namespace InferenceServer.Contracts.Anthropic;

public sealed class AnthropicUsage
{
    public required int InputTokens { get; init; }

    public required int OutputTokens { get; init; }

    public int? CacheReadInputTokens { get; init; }
}
