using System.Text.Json;
using InferenceServer.Engine.Generation;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Text.Templates;

namespace InferenceServer.Engine.Text;

/// <summary>
/// The model's Jinja chat template (from <c>chat_template.jinja</c>, else <c>tokenizer_config.json</c>), with the
/// special-token strings the template refers to. Parsed once; rendering is thread-safe.
/// </summary>
public sealed class ChatTemplate
{
    private const string ThinkOpen = "<think>";
    private const string ThinkClose = "</think>";
    private readonly JinjaTemplate _template;

    private ChatTemplate(JinjaTemplate template, string bosToken, string eosToken)
    {
        _template = template;
        BosToken = bosToken;
        EosToken = eosToken;
    }

    public string BosToken { get; }

    public string EosToken { get; }

    public static ChatTemplate Load(string folder)
    {
        var configPath = Path.Combine(folder, "tokenizer_config.json");
        var jinjaPath = Path.Combine(folder, "chat_template.jinja");
        string? source = File.Exists(jinjaPath) ? File.ReadAllText(jinjaPath) : null;
        string bos = string.Empty;
        string eos = string.Empty;
        if (File.Exists(configPath))
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(configPath));
                var root = doc.RootElement;
                source ??= TemplateFrom(root);
                bos = TokenString(root, "bos_token");
                eos = TokenString(root, "eos_token");
            }
            catch (JsonException e)
            {
                throw new ModelLoadException($"'{configPath}' is not valid JSON: {e.Message}", e);
            }
        }

        if (source is null)
        {
            throw new ModelLoadException($"Model folder '{folder}' has no chat template: add chat_template.jinja or a \"chat_template\" entry to tokenizer_config.json.");
        }

        try
        {
            return new ChatTemplate(JinjaTemplate.Parse(source), bos, eos);
        }
        catch (TemplateException e)
        {
            throw new ModelLoadException($"The chat template of '{folder}' does not parse: {e.Message}", e);
        }
    }

    /// <summary>Renders the conversation with the generation prompt for the assistant's reply.</summary>
    /// <param name="tools">The request's <c>tools</c> (OpenAI shape), passed to the template as <c>tools</c>.</param>
    public ChatPrompt Render(IReadOnlyList<ChatMessage> messages, bool thinking, IReadOnlyList<JsonElement>? tools = null)
    {
        var toolValues = tools is { Count: > 0 } ? tools.Select(JinjaValues.FromJson).ToList() : null;
        var withPrompt = RenderText(messages, thinking, addGenerationPrompt: true, toolValues);
        var without = RenderText(messages, thinking, addGenerationPrompt: false, toolValues);
        var suffix = withPrompt.StartsWith(without, StringComparison.Ordinal) ? withPrompt[without.Length..] : withPrompt;
        if (suffix.Length == 0 && messages.Count > 0 && messages[^1].Prefix)
        {
            // Prefix completion: the open assistant message is the tail; it may end inside its reasoning.
            suffix = withPrompt[Math.Max(0, withPrompt.LastIndexOf(ThinkOpen, StringComparison.Ordinal))..];
        }

        var opened = suffix.LastIndexOf(ThinkOpen, StringComparison.Ordinal);
        var closed = suffix.LastIndexOf(ThinkClose, StringComparison.Ordinal);
        return new ChatPrompt(withPrompt, opened >= 0 && opened > closed);
    }

    private string RenderText(IReadOnlyList<ChatMessage> messages, bool thinking, bool addGenerationPrompt, List<object?>? tools)
    {
        var list = new List<object?>(messages.Count);
        foreach (var m in messages)
        {
            var d = new Dictionary<string, object?>(StringComparer.Ordinal) { ["role"] = m.Role, ["content"] = m.Content };
            if (m.ReasoningContent is not null)
            {
                d["reasoning_content"] = m.ReasoningContent;
            }

            if (m.Name is not null)
            {
                d["name"] = m.Name;
            }

            if (m.ToolCallId is not null)
            {
                d["tool_call_id"] = m.ToolCallId;
            }

            if (m.Prefix)
            {
                d["prefix"] = true;
            }

            if (m.ToolCalls is { Count: > 0 } calls)
            {
                d["tool_calls"] = calls.Select(c => (object?)new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["id"] = c.Id,
                    ["type"] = "function",
                    ["function"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = c.Name, ["arguments"] = c.Arguments },
                }).ToList();
            }

            list.Add(d);
        }

        var context = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["messages"] = list,
            ["add_generation_prompt"] = addGenerationPrompt,
            ["bos_token"] = BosToken,
            ["eos_token"] = EosToken,
            ["thinking"] = thinking,
            ["enable_thinking"] = thinking,
        };
        if (tools is not null)
        {
            context["tools"] = tools;
        }

        return _template.Render(context);
    }

    private static string? TemplateFrom(JsonElement root)
    {
        if (!root.TryGetProperty("chat_template", out var t))
        {
            return null;
        }

        if (t.ValueKind == JsonValueKind.String)
        {
            return t.GetString();
        }

        // Newer exports keep a list of named templates; the default one is the chat template.
        if (t.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in t.EnumerateArray())
            {
                if (item.TryGetProperty("name", out var n) && n.GetString() == "default" && item.TryGetProperty("template", out var body))
                {
                    return body.GetString();
                }
            }
        }

        return null;
    }

    private static string TokenString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var v))
        {
            return string.Empty;
        }

        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString() ?? string.Empty,
            JsonValueKind.Object when v.TryGetProperty("content", out var c) => c.GetString() ?? string.Empty,
            _ => string.Empty,
        };
    }
}
