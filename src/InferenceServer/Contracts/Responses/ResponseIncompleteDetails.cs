namespace InferenceServer.Contracts.Responses;

/// <summary>Why a response is <c>incomplete</c>: <c>max_output_tokens</c>.</summary>
public sealed record ResponseIncompleteDetails(string Reason);
