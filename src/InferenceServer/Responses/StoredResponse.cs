using InferenceServer.Contracts;
using InferenceServer.Contracts.Responses;

namespace InferenceServer.Responses;

/// <summary>A kept response, the API key that made it, and its conversation (input and output) for <c>previous_response_id</c>.</summary>
public sealed record StoredResponse(string Owner, ResponseObject Response, IReadOnlyList<ChatMessageDto> Conversation, DateTimeOffset Expires);
