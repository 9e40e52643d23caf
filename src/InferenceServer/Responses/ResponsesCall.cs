using InferenceServer.Contracts;

namespace InferenceServer.Responses;

/// <summary>A Responses request as chat's input, and its conversation (history and input, without instructions) to store.</summary>
internal sealed record ResponsesCall(ChatCompletionRequest Chat, List<ChatMessageDto> Conversation);
