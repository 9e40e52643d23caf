namespace InferenceServer.Contracts.Responses;

public sealed record ResponseOutputTokensDetails(int ReasoningTokens);
