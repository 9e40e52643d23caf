namespace InferenceServer.Contracts;

public sealed class CompletionTokensDetails
{
    public required int ReasoningTokens { get; init; }
}
