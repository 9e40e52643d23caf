namespace InferenceServer.Contracts;

public sealed class PromptTokensDetails
{
    /// <summary>Same as <c>prompt_cache_hit_tokens</c>.</summary>
    public required int CachedTokens { get; init; }
}
