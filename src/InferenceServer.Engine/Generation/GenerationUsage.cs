namespace InferenceServer.Engine.Generation;

/// <summary>Token counts of one generation. <see cref="CachedPromptTokens"/> is the prefix-cache hit (0 until that cache exists).</summary>
public sealed record GenerationUsage(int PromptTokens, int CompletionTokens, int ReasoningTokens, int CachedPromptTokens)
{
    /// <summary>Prompt tokens that are images' tokens (counted in <see cref="PromptTokens"/> too).</summary>
    public int ImageTokens { get; init; }
}
