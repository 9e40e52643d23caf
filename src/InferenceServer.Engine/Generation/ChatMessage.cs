namespace InferenceServer.Engine.Generation;

/// <summary>One conversation turn as the chat template sees it.</summary>
public sealed record ChatMessage(
    string Role,
    string? Content,
    string? ReasoningContent = null,
    string? Name = null,
    bool Prefix = false,
    string? ToolCallId = null,
    IReadOnlyList<ChatToolCall>? ToolCalls = null);
