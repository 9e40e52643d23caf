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
            ToolChoice = r.ToolChoice is { ValueKind: JsonValueKind.Object } c ? ToolChoice(c) : null,
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
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Array } a => string.Join("\n", a.EnumerateArray().Where(b => Type(b) == "text").Select(b => b.GetProperty("text").GetString())),
        _ => null,
    };

    private static void AddMessage(JsonElement m, int index, List<ChatMessageDto> messages)
    {
        var role = m.TryGetProperty("role", out var r) ? r.GetString() : null;
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
        foreach (var block in content.EnumerateArray())
        {
            switch (Type(block))
            {
                case "text":
                    text.Append(block.GetProperty("text").GetString());
                    break;
                case "thinking":
                    reasoning.Append(block.TryGetProperty("thinking", out var t) ? t.GetString() : null);
                    break;
                case "tool_use":
                    calls.Add(new
                    {
                        id = block.GetProperty("id").GetString(),
                        type = "function",
                        function = new { name = block.GetProperty("name").GetString(), arguments = block.TryGetProperty("input", out var input) ? input.GetRawText() : "{}" },
                    });
                    break;
                case "tool_result":
                    messages.Add(new ChatMessageDto
                    {
                        Role = "tool",
                        ToolCallId = block.TryGetProperty("tool_use_id", out var id) ? id.GetString() : null,
                        Content = new MessageContent(ToolResultText(block), false),
                    });
                    break;
                case "image":
                    throw ApiException.InvalidFormat($"messages.{index}.content: {MessageContentConverter.UnsupportedPart(Type(block))}", $"messages.{index}.content");
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

    private static string ToolResultText(JsonElement block)
    {
        if (!block.TryGetProperty("content", out var c))
        {
            return string.Empty;
        }

        return c.ValueKind == JsonValueKind.String
            ? c.GetString()!
            : string.Concat(c.EnumerateArray().Where(b => Type(b) == "text").Select(b => b.GetProperty("text").GetString()));
    }

    private static object Tool(JsonElement tool) => new
    {
        type = "function",
        function = new
        {
            name = tool.TryGetProperty("name", out var n) ? n.GetString() : null,
            description = tool.TryGetProperty("description", out var d) ? d.GetString() : null,
            parameters = tool.TryGetProperty("input_schema", out var s) ? s : default(JsonElement?),
        },
    };

    private static JsonElement? ToolChoice(JsonElement choice) => Type(choice) switch
    {
        "auto" => JsonSerializer.SerializeToElement("auto"),
        "any" => JsonSerializer.SerializeToElement("required"),
        "none" => JsonSerializer.SerializeToElement("none"),
        "tool" => JsonSerializer.SerializeToElement(new { type = "function", function = new { name = choice.GetProperty("name").GetString() } }),
        var other => throw ApiException.InvalidFormat($"tool_choice.type: '{other}' is not one of auto, any, tool, none", "tool_choice"),
    };

    private static string? Type(JsonElement block) =>
        block.ValueKind == JsonValueKind.Object && block.TryGetProperty("type", out var t) ? t.GetString() : null;
}
