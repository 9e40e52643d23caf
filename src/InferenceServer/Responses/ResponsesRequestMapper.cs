using System.Text.Json;
using InferenceServer.Chat;
using InferenceServer.Contracts;
using InferenceServer.Contracts.Json;
using InferenceServer.Contracts.Responses;
using InferenceServer.Errors;

namespace InferenceServer.Responses;

/// <summary>
/// Turns a Responses request into the equivalent chat request, so both share one validation and generation path:
/// <c>instructions</c> → a system message, input items → messages (after a stored response's conversation),
/// flat function tools → chat tools, <c>text.format</c> → <c>response_format</c>, <c>reasoning.effort</c> →
/// <c>reasoning_effort</c>, <c>max_output_tokens</c> → <c>max_tokens</c>.
/// </summary>
internal static class ResponsesRequestMapper
{
    /// <param name="history">The conversation of the response named by <c>previous_response_id</c>, if any.</param>
    public static ResponsesCall Map(ResponseCreateRequest r, IReadOnlyList<ChatMessageDto>? history)
    {
        if (string.IsNullOrWhiteSpace(r.Model))
        {
            throw ApiException.InvalidParameter("model", "Missing required parameter: 'model'.");
        }

        SafetyCheck.Validate(r.SafetyCheck);
        var conversation = new List<ChatMessageDto>(history ?? []);
        conversation.AddRange(ResponseInputReader.Read(r.Input));
        var messages = new List<ChatMessageDto>(conversation.Count + 1);
        if (r.Instructions is { Length: > 0 } instructions)
        {
            messages.Add(new ChatMessageDto { Role = "system", Content = new MessageContent(instructions, false) });
        }

        messages.AddRange(conversation);
        var chat = new ChatCompletionRequest
        {
            Model = r.Model,
            Messages = messages,
            MaxTokens = r.MaxOutputTokens,
            Temperature = r.Temperature,
            TopP = r.TopP,
            Stream = r.Stream,
            ReasoningEffort = r.Reasoning?.Effort,
            Tools = Tools(r.Tools),
            ToolChoice = ToolChoice(r.ToolChoice),
            ResponseFormat = Format(r.Text?.Format),
            User = r.User,
        };
        return new ResponsesCall(chat, conversation);
    }

    private static JsonElement? Tools(JsonElement? tools)
    {
        if (tools is not { ValueKind: JsonValueKind.Array } array)
        {
            return tools;
        }

        var mapped = new List<object>();
        var i = 0;
        foreach (var tool in array.EnumerateArray())
        {
            var type = tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (type != "function")
            {
                throw ApiException.InvalidParameter($"tools[{i}].type", $"Tools of type '{type}' are not supported; this server runs function tools ('type': 'function').");
            }

            // The chat shape ({"type","function":{...}}) passes as it is; the flat Responses shape is nested.
            mapped.Add(tool.TryGetProperty("function", out _) ? tool : new { type = "function", function = Without(tool, "type") });
            i++;
        }

        return JsonSerializer.SerializeToElement(mapped);
    }

    private static JsonElement? ToolChoice(JsonElement? choice) => choice switch
    {
        { ValueKind: JsonValueKind.Object } c when c.TryGetProperty("name", out var name) && !c.TryGetProperty("function", out _) =>
            JsonSerializer.SerializeToElement(new { type = "function", function = new { name } }),
        { ValueKind: JsonValueKind.Object } c when !c.TryGetProperty("function", out _) =>
            throw ApiException.InvalidParameter("tool_choice", "tool_choice must be 'none', 'auto', 'required' or {\"type\": \"function\", \"name\": ...}."),
        _ => choice,
    };

    private static ResponseFormatDto? Format(ResponseTextFormatDto? format) => format?.Type switch
    {
        null => null,
        "json_schema" => new ResponseFormatDto
        {
            Type = "json_schema",
            JsonSchema = format.Schema is { ValueKind: JsonValueKind.Object } schema
                ? JsonSerializer.SerializeToElement(new { name = format.Name, schema, strict = format.Strict == true })
                : throw ApiException.InvalidParameter("text.format.schema", "text.format 'json_schema' needs a 'schema' object."),
        },
        "text" or "json_object" => new ResponseFormatDto { Type = format.Type },
        var other => throw ApiException.InvalidParameter("text.format.type", $"Invalid text.format type '{other}'; use 'text', 'json_object' or 'json_schema'."),
    };

    private static Dictionary<string, JsonElement> Without(JsonElement tool, string key) =>
        tool.EnumerateObject().Where(p => p.Name != key).ToDictionary(p => p.Name, p => p.Value);
}
