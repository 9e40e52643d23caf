namespace InferenceServer.Contracts;

/// <summary>Tokens the model read, <c>[CLS]</c> and <c>[SEP]</c> included.</summary>
public sealed class EmbeddingUsage
{
    public required int PromptTokens { get; init; }

    public required int TotalTokens { get; init; }
}
