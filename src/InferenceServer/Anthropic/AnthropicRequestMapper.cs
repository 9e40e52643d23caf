using System.Text;
using System.Text.Json;
using InferenceServer.Contracts;
using InferenceServer.Contracts.Anthropic;
using InferenceServer.Contracts.Json;
using InferenceServer.Engine.Models;
using InferenceServer.Errors;

namespace InferenceServer.Anthropic;

/// <summary>
/// Turns an Anthropic Messages request into the equivalent chat request, so both formats share one validation and
/// generation path: system → system message, text / thinking / tool_use / tool_result blocks → content,
/// reasoning_content, tool_calls and tool messages; tools and tool_choice to OpenAI's shapes. Model names starting
/// with <c>claude</c> map to served models as DeepSeek documents (opus → <c>deepseek-v4-pro</c>, sonnet / haiku / others
/// → <c>deepseek-v4-flash</c>), falling back to the other current and retired names where a configuration lacks them.
/// </summary>
internal static class AnthropicRequestMapper
{
    private static readonly string[] OpusTargets = ["deepseek-v4-pro", "deepseek-v4-flash", "deepseek-flash", "deepseek-chat"];
    private static readonly string[] OtherTargets = ["deepseek-v4-flash", "deepseek-flash", "deepseek-chat"];

    public static ChatCompletionRequest Map(AnthropicRequest r, ModelRegistry registry)
    {
        if (r.MaxTokens is null)
        {
            throw ApiException.InvalidFormat("max_tokens: Field required", "max_tokens");
        }

        if (r.Messages is not { Count: > 0 })
        {
            throw ApiException.InvalidFormat("messages: at least one message is required", "messages");
        }

        var messages = new List<ChatMessageDto>();
        if (SystemText(r.System) is { } system)
        {
            messages.Add(new ChatMessageDto { Role = "system", Content = new MessageContent(system, false) });
        }

        for (var i = 0; i < r.Messages.Count; i++)
        {
            AddMessage(r.Messages[i], i, messages);
        }

        return new ChatCompletionRequest
        {
            Model = MapModel(r.Model, registry),
            Messages = messages,
            MaxTokens = r.MaxTokens,
            Stop = r.StopSequences,
            Temperature = r.Temperature,
            TopP = r.TopP,
            TopK = r.TopK,
            Thinking = r.Thinking?.Type is "enabled" or "disabled" ? r.Thinking : null,
            ReasoningEffort = Effort(r.OutputConfig?.Effort),
            SafetyCheck = r.SafetyCheck,
            Stream = r.Stream,
            Tools = r.Tools is { Count: > 0 } ? JsonSerializer.SerializeToElement(r.Tools.Select(Tool).ToList()) : null,
            ToolChoice = r.ToolChoice is { ValueKind: not JsonValueKind.Null } c ? ToolChoice(AnthropicFields.Object(c, "tool_choice")) : null,
        };
    }

    private static string? MapModel(string? model, ModelRegistry registry)
    {
        if (model is null || !model.StartsWith("claude", StringComparison.OrdinalIgnoreCase) || registry.TryResolve(model, out _))
        {
            return model;
        }

        var targets = model.Contains("opus", StringComparison.OrdinalIgnoreCase) ? OpusTargets : OtherTargets;
        foreach (var t in targets)
        {
            if (registry.TryResolve(t, out _))
            {
                return t;
            }
        }

        return registry.Served.FirstOrDefault()?.Name ?? model;
    }

    /// <summary><c>output_config.effort</c> as a DeepSeek level; another name is a 400 naming it.</summary>
    private static string? Effort(string? effort) => effort is null ? null
        : Chat.ReasoningEffort.TryNormalize(effort, out var level) ? level
        : throw ApiException.InvalidFormat($"output_config.effort: Invalid effort '{effort}'; {Chat.ReasoningEffort.Expected}.", "output_config.effort");

    private static string? SystemText(JsonElement? system) => system switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Array } a => string.Join("\n", TextBlocks(a, "system")),
        _ => throw AnthropicFields.Invalid("system", "Input should be a valid string or a list of text blocks"),
    };

    /// <summary>The texts of the <c>text</c> blocks of an array (other block types are skipped).</summary>
    private static IEnumerable<string> TextBlocks(JsonElement blocks, string path)
    {
        var i = 0;
        foreach (var block in blocks.EnumerateArray())
        {
            var at = $"{path}.{i++}";
            if (AnthropicFields.BlockType(block, at) == "text")
            {
                yield return AnthropicFields.RequiredString(block, "text", at);
            }
        }
    }

    private static void AddMessage(JsonElement element, int index, List<ChatMessageDto> messages)
    {
        var m = AnthropicFields.Object(element, $"messages.{index}");
        var role = m.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        if (role is not ("user" or "assistant"))
        {
            throw ApiException.InvalidFormat($"messages.{index}.role: Input should be 'user' or 'assistant'", $"messages.{index}.role");
        }

        if (!m.TryGetProperty("content", out var content) || content.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
        {
            throw ApiException.InvalidFormat($"messages.{index}.content: Field required (a string or an array of content blocks)", $"messages.{index}.content");
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            messages.Add(new ChatMessageDto { Role = role, Content = new MessageContent(content.GetString()!, false) });
            return;
        }

        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        var calls = new List<object>();
        var j = 0;
        foreach (var block in content.EnumerateArray())
        {
            var at = $"messages.{index}.content.{j++}";
            switch (AnthropicFields.BlockType(block, at))
            {
                case "text":
                    text.Append(AnthropicFields.RequiredString(block, "text", at));
                    break;
                case "thinking":
                    reasoning.Append(AnthropicFields.OptionalString(block, "thinking", at));
                    break;
                case "tool_use":
                    calls.Add(new
                    {
                        id = AnthropicFields.RequiredString(block, "id", at),
                        type = "function",
                        function = new
                        {
                            name = AnthropicFields.RequiredString(block, "name", at),
                            arguments = AnthropicFields.OptionalObject(block, "input", at)?.GetRawText() ?? "{}",
                        },
                    });
                    break;
                case "tool_result":
                    messages.Add(new ChatMessageDto
                    {
                        Role = "tool",
                        ToolCallId = AnthropicFields.RequiredString(block, "tool_use_id", at),
                        Content = new MessageContent(ToolResultText(block, at), false),
                    });
                    break;
                case "image":
                    // Read and checked by the vision layer (AnthropicImageBlocks); its place in the text is kept.
                    text.Append(MessageContent.ImageMarker);
                    break;
                case var other:
                    throw ApiException.InvalidFormat($"messages.{index}.content: block type '{other}' is not supported", $"messages.{index}.content");
            }
        }

        if (role == "user" && text.Length == 0 && messages.Count > 0 && messages[^1].Role == "tool")
        {
            return;
        }

        messages.Add(new ChatMessageDto
        {
            Role = role,
            Content = new MessageContent(text.ToString(), false),
            ReasoningContent = reasoning.Length > 0 ? reasoning.ToString() : null,
            ToolCalls = calls.Count > 0 ? JsonSerializer.SerializeToElement(calls) : null,
        });
    }

    private static string ToolResultText(JsonElement block, string path)
    {
        if (!block.TryGetProperty("content", out var c) || c.ValueKind == JsonValueKind.Null)
        {
            return string.Empty;
        }

        return c.ValueKind switch
        {
            JsonValueKind.String => c.GetString()!,
            JsonValueKind.Array => string.Concat(TextBlocks(c, $"{path}.content")),
            _ => throw AnthropicFields.Invalid($"{path}.content", "Input should be a valid string or a list of content blocks"),
        };
    }

    private static object Tool(JsonElement element, int index)
    {
        var at = $"tools.{index}";
        var tool = AnthropicFields.Object(element, at);
        return new
        {
            type = "function",
            function = new
            {
                name = AnthropicFields.RequiredString(tool, "name", at),
                description = AnthropicFields.OptionalString(tool, "description", at),
                parameters = AnthropicFields.OptionalObject(tool, "input_schema", at),
            },
        };
    }

    private static JsonElement? ToolChoice(JsonElement choice) => AnthropicFields.BlockType(choice, "tool_choice") switch
    {
        "auto" => JsonSerializer.SerializeToElement("auto"),
        "any" => JsonSerializer.SerializeToElement("required"),
        "none" => JsonSerializer.SerializeToElement("none"),
        "tool" => JsonSerializer.SerializeToElement(new { type = "function", function = new { name = AnthropicFields.RequiredString(choice, "name", "tool_choice") } }),
        var other => throw ApiException.InvalidFormat($"tool_choice.type: '{other}' is not one of auto, any, tool, none", "tool_choice"),
    };
}
