namespace InferenceServer.Contracts;

/// <summary>Token usage; <c>prompt_tokens = prompt_cache_hit_tokens + prompt_cache_miss_tokens</c>.</summary>
public sealed class UsageDto
{
    public required int PromptTokens { get; init; }

    public required int CompletionTokens { get; init; }

    public required int TotalTokens { get; init; }

    public required PromptTokensDetails PromptTokensDetails { get; init; }

    public required int PromptCacheHitTokens { get; init; }

    public required int PromptCacheMissTokens { get; init; }

    public required CompletionTokensDetails CompletionTokensDetails { get; init; }
}
