namespace InferenceServer.Contracts.Responses;

public sealed record ResponseInputTokensDetails(int CachedTokens);
