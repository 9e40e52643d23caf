using System.Text.Json;
using InferenceServer.Contracts;
using InferenceServer.Engine.Generation;
using InferenceServer.Errors;

namespace InferenceServer.Chat;

/// <summary>
/// Maps wire messages to the template's messages: assistant <c>tool_calls</c> are read, and every <c>tool</c>
/// message must answer a call made earlier in the conversation. In thinking mode the conversation must end with a
/// user or tool message, or an assistant message with <c>prefix</c>.
/// </summary>
internal static class ChatMessageReader
{
    public static List<ChatMessage> Read(List<ChatMessageDto> wire, bool thinking)
    {
        var calls = new HashSet<string>(StringComparer.Ordinal);
        var messages = new List<ChatMessage>(wire.Count);
        for (var i = 0; i < wire.Count; i++)
        {
            var m = wire[i];
            var toolCalls = m.Role == "assistant" ? ReadCalls(m.ToolCalls, i) : null;
            foreach (var call in toolCalls ?? [])
            {
                calls.Add(call.Id);
            }

            if (m.Role == "tool" && !calls.Contains(m.ToolCallId!))
            {
                throw ApiException.InvalidFormat(
                    $"messages[{i}] has role 'tool' with tool_call_id '{m.ToolCallId}', which answers no tool call of an earlier assistant message.",
                    $"messages[{i}].tool_call_id");
            }

            messages.Add(new ChatMessage(
                Role: m.Role == "developer" ? "system" : m.Role!,
                Content: m.Content?.Text,
                ReasoningContent: m.ReasoningContent,
                Name: m.Name,
                Prefix: m.Prefix == true,
                ToolCallId: m.ToolCallId,
                ToolCalls: toolCalls));
        }

        var last = wire[^1];
        if (thinking && !(last.Role is "user" or "tool" || (last.Role == "assistant" && last.Prefix == true)))
        {
            throw ApiException.InvalidFormat(
                "The last message of deepseek-reasoner must be a user message, or an assistant message with prefix mode on " +
                "(refer to https://api-docs.deepseek.com/guides/chat_prefix_completion).");
        }

        return messages;
    }

    private static List<ChatToolCall>? ReadCalls(JsonElement? element, int index)
    {
        if (element is not { } e || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var path = $"messages[{index}].tool_calls";
        if (e.ValueKind != JsonValueKind.Array)
        {
            throw ApiException.InvalidParameter(path, $"'{path}' must be an array.");
        }

        var list = new List<ChatToolCall>();
        var j = 0;
        foreach (var call in e.EnumerateArray())
        {
            var at = $"{path}[{j++}]";
            if (call.ValueKind != JsonValueKind.Object || !call.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String
                || !call.TryGetProperty("function", out var f) || f.ValueKind != JsonValueKind.Object
                || !f.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            {
                throw ApiException.InvalidParameter(at, $"'{at}' must be {{\"id\", \"type\": \"function\", \"function\": {{\"name\", \"arguments\"}}}}.");
            }

            var args = f.TryGetProperty("arguments", out var a)
                ? a.ValueKind == JsonValueKind.String ? a.GetString()! : a.GetRawText()
                : "{}";
            list.Add(new ChatToolCall(id.GetString()!, name.GetString()!, args));
        }

        return list;
    }
}
