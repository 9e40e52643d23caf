namespace InferenceServer.Contracts.Responses;

/// <summary>Why a response <c>failed</c>.</summary>
public sealed record ResponseErrorDto(string Code, string Message);
