using System.Text;
using System.Text.Json;
using InferenceServer.Contracts;
using InferenceServer.Contracts.Json;
using InferenceServer.Errors;

namespace InferenceServer.Responses;

/// <summary>
/// Reads <c>input</c> into chat messages. Replayed history is read leniently, as Codex and the Agents SDK send it:
/// items may lack <c>id</c> and <c>status</c>, a message may lack <c>type</c>. A <c>reasoning</c> item's text goes
/// to the next assistant turn's <c>reasoning_content</c>; <c>function_call</c> items join the assistant turn before
/// them as <c>tool_calls</c>; <c>function_call_output</c> becomes a <c>tool</c> message.
/// </summary>
internal static class ResponseInputReader
{
    public static List<ChatMessageDto> Read(JsonElement? input)
    {
        switch (input)
        {
            case null or { ValueKind: JsonValueKind.Null }:
                throw ApiException.InvalidParameter("input", "Missing required parameter: 'input'.");
            case { ValueKind: JsonValueKind.String } s:
                return [new ChatMessageDto { Role = "user", Content = new MessageContent(s.GetString()!, false) }];
            case { ValueKind: JsonValueKind.Array } a:
                var messages = new List<ChatMessageDto>();
                string? reasoning = null;
                var i = 0;
                foreach (var item in a.EnumerateArray())
                {
                    AddItem(item, i++, messages, ref reasoning);
                }

                if (messages.Count == 0)
                {
                    throw ApiException.InvalidParameter("input", "'input' must contain at least one message.");
                }

                return messages;
            default:
                throw ApiException.InvalidParameter("input", "'input' must be a string or an array of input items.");
        }
    }

    private static void AddItem(JsonElement item, int index, List<ChatMessageDto> messages, ref string? reasoning)
    {
        var at = $"input[{index}]";
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.InvalidParameter(at, $"'{at}' must be an object.");
        }

        var type = String(item, "type") ?? (item.TryGetProperty("role", out _) ? "message" : null);
        switch (type)
        {
            case "message":
                var role = String(item, "role");
                if (role is not ("user" or "system" or "developer" or "assistant"))
                {
                    throw ApiException.InvalidParameter($"{at}.role", $"Invalid role '{role}' in {at}; use one of: user, system, developer, assistant.");
                }

                // An assistant turn may come without content (only calls follow it), as chat allows.
                var text = role == "assistant" && !item.TryGetProperty("content", out _) ? string.Empty : Text(item, $"{at}.content");
                if (role == "assistant" && reasoning is not null)
                {
                    messages.Add(new ChatMessageDto { Role = role, Content = new MessageContent(text, false), ReasoningContent = reasoning });
                    reasoning = null;
                    return;
                }

                messages.Add(new ChatMessageDto { Role = role, Content = new MessageContent(text, false) });
                return;
            case "reasoning":
                reasoning = (reasoning ?? string.Empty) + ReasoningText(item);
                return;
            case "function_call":
                AddCall(item, at, messages, ref reasoning);
                return;
            case "function_call_output":
                var callId = String(item, "call_id") ?? throw ApiException.InvalidParameter($"{at}.call_id", $"Missing required parameter: '{at}.call_id'.");
                var output = item.TryGetProperty("output", out var o) && o.ValueKind == JsonValueKind.Array ? Parts(o, $"{at}.output") : String(item, "output") ?? string.Empty;
                messages.Add(new ChatMessageDto { Role = "tool", ToolCallId = callId, Content = new MessageContent(output, false) });
                return;
            case null:
                throw ApiException.InvalidParameter($"{at}.type", $"Missing required parameter: '{at}.type'.");
            default:
                throw ApiException.InvalidParameter($"{at}.type",
                    $"Input items of type '{type}' are not supported; use message, function_call, function_call_output or reasoning.");
        }
    }

    private static void AddCall(JsonElement item, string at, List<ChatMessageDto> messages, ref string? reasoning)
    {
        var callId = String(item, "call_id") ?? throw ApiException.InvalidParameter($"{at}.call_id", $"Missing required parameter: '{at}.call_id'.");
        var name = String(item, "name") ?? throw ApiException.InvalidParameter($"{at}.name", $"Missing required parameter: '{at}.name'.");
        var call = new { id = callId, type = "function", function = new { name, arguments = String(item, "arguments") ?? "{}" } };

        // Calls right after an assistant message (or another call) belong to that turn.
        if (messages.Count > 0 && messages[^1].Role == "assistant" && reasoning is null)
        {
            var last = messages[^1];
            var calls = last.ToolCalls is { ValueKind: JsonValueKind.Array } existing
                ? existing.EnumerateArray().Cast<object>().Append(call).ToList()
                : [call];
            last.ToolCalls = JsonSerializer.SerializeToElement(calls);
            return;
        }

        messages.Add(new ChatMessageDto
        {
            Role = "assistant",
            Content = new MessageContent(string.Empty, false),
            ReasoningContent = reasoning,
            ToolCalls = JsonSerializer.SerializeToElement(new[] { call }),
        });
        reasoning = null;
    }

    private static string Text(JsonElement item, string at)
    {
        if (!item.TryGetProperty("content", out var content) || content.ValueKind is JsonValueKind.Null)
        {
            throw ApiException.InvalidParameter(at, $"Missing required parameter: '{at}'.");
        }

        return content.ValueKind switch
        {
            JsonValueKind.String => content.GetString()!,
            JsonValueKind.Array => Parts(content, at),
            _ => throw ApiException.InvalidParameter(at, $"'{at}' must be a string or an array of content parts."),
        };
    }

    private static string Parts(JsonElement parts, string at)
    {
        var text = new StringBuilder();
        foreach (var part in parts.EnumerateArray())
        {
            switch (String(part, "type"))
            {
                case "input_text" or "output_text" or "text" when part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String:
                    text.Append(t.GetString());
                    break;
                case "input_text" or "output_text" or "text":
                    throw ApiException.InvalidParameter(at, $"Invalid value for '{at}': a text part needs a string \"text\".");
                case "refusal":
                    text.Append(String(part, "refusal"));
                    break;
                case "input_image" or "input_video":
                    // Read and checked by the vision layer (ResponsesImageParts); its place in the text is kept.
                    text.Append(MessageContent.ImageMarker);
                    break;
                case var kind:
                    throw ApiException.InvalidFormat($"Invalid value for '{at}': {MessageContentConverter.UnsupportedPart(kind)}", at);
            }
        }

        return text.ToString();
    }

    private static string ReasoningText(JsonElement item)
    {
        var text = new StringBuilder();
        foreach (var key in (ReadOnlySpan<string>)["content", "summary"])
        {
            if (item.TryGetProperty(key, out var parts) && parts.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in parts.EnumerateArray())
                {
                    text.Append(String(part, "text"));
                }
            }

            if (text.Length > 0)
            {
                break;
            }
        }

        return text.ToString();
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
