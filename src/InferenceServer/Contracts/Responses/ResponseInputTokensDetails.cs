namespace InferenceServer.Contracts.Responses;

/// <param name="ImageTokens">Input tokens that are images' tokens (absent without images).</param>
public sealed record ResponseInputTokensDetails(int CachedTokens, int? ImageTokens = null);
