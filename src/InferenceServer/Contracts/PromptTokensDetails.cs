namespace InferenceServer.Contracts;

public sealed class PromptTokensDetails
{
    /// <summary>Same as <c>prompt_cache_hit_tokens</c>.</summary>
    public required int CachedTokens { get; init; }

    /// <summary>Prompt tokens that are images' tokens (a vision model's request with images; absent otherwise).</summary>
    public int? ImageTokens { get; init; }
}
