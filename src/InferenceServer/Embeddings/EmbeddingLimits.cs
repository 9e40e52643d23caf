namespace InferenceServer.Embeddings;

/// <summary>OpenAI's documented limits on one embeddings request.</summary>
internal static class EmbeddingLimits
{
    /// <summary>Inputs in one request.</summary>
    public const int MaxInputs = 2048;

    /// <summary>Tokens over all inputs of one request.</summary>
    public const int MaxTotalTokens = 300_000;
}
