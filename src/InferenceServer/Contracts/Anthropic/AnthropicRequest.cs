using System.Text.Json;
using System.Text.Json.Serialization;
using InferenceServer.Contracts.Json;

namespace InferenceServer.Contracts.Anthropic;

/// <summary>Body of <c>POST /anthropic/v1/messages</c> (Anthropic's Messages API, as DeepSeek serves it).</summary>
public sealed class AnthropicRequest
{
    /// <summary>A served model; names starting with <c>claude</c> map to configured models as DeepSeek documents.</summary>
    public string? Model { get; set; }

    /// <summary>Required. Past what the context leaves after the prompt it is cut to fit (stop reason <c>max_tokens</c> when that binds).</summary>
    public int? MaxTokens { get; set; }

    /// <summary>A string or an array of <c>{"type":"text","text":...}</c> blocks.</summary>
    public JsonElement? System { get; set; }

    /// <summary><c>{role: "user"|"assistant", content: string | blocks}</c>; blocks: text, thinking, tool_use, tool_result.</summary>
    public List<JsonElement>? Messages { get; set; }

    /// <summary><c>{name, description, input_schema}</c>.</summary>
    public List<JsonElement>? Tools { get; set; }

    /// <summary><c>{type: "auto"|"any"|"tool"|"none", name}</c>.</summary>
    public JsonElement? ToolChoice { get; set; }

    [JsonConverter(typeof(StringOrArrayConverter))]
    public List<string>? StopSequences { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? TopK { get; set; }

    /// <summary><c>{type: "enabled"|"disabled", budget_tokens}</c>; the budget is ignored.</summary>
    public ThinkingDto? Thinking { get; set; }

    public bool? Stream { get; set; }

    /// <summary><c>{effort}</c>: the reasoning effort, as chat's <c>reasoning_effort</c>; <c>none</c> turns thinking off.</summary>
    public AnthropicOutputConfig? OutputConfig { get; set; }

    /// <summary>DeepSeek's <c>{"level": "high"|"low"}</c>: accepted, no effect here.</summary>
    public SafetyCheckDto? SafetyCheck { get; set; }

    public JsonElement? Metadata { get; set; }
}
