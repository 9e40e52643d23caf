using System.Text.Json;
using InferenceServer.Contracts.Json;

namespace InferenceServer.Contracts;

public sealed class ChatMessageDto
{
    /// <summary><c>system</c>, <c>developer</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>.</summary>
    public string? Role { get; set; }

    /// <summary>A string, or an array of content parts (<c>{"type":"text","text":...}</c>, <c>image_url</c>, <c>file</c>, <c>video_url</c>, <c>input_video</c>).</summary>
    public MessageContent? Content { get; set; }

    public string? Name { get; set; }

    /// <summary>Earlier reasoning, passed back in multi-round thinking conversations.</summary>
    public string? ReasoningContent { get; set; }

    /// <summary>Beta: the reply continues this assistant message.</summary>
    public bool? Prefix { get; set; }

    public string? ToolCallId { get; set; }

    public JsonElement? ToolCalls { get; set; }
}
