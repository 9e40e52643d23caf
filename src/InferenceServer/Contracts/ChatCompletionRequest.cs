using System.Text.Json;
using System.Text.Json.Serialization;
using InferenceServer.Contracts.Json;

namespace InferenceServer.Contracts;

/// <summary>Body of <c>POST /chat/completions</c> (DeepSeek's fields, OpenAI's names accepted too).</summary>
public sealed class ChatCompletionRequest
{
    /// <summary>A model id or alias from <c>GET /models</c>, e.g. <c>deepseek-flash</c>.</summary>
    public string? Model { get; set; }

    public List<ChatMessageDto>? Messages { get; set; }

    /// <summary><c>{"type":"enabled"|"disabled"}</c>: thinking mode for models that can think.</summary>
    public ThinkingDto? Thinking { get; set; }

    /// <summary>
    /// <c>none</c> turns thinking off; <c>low</c>, <c>high</c>, <c>max</c> keep it on. Mapped as DeepSeek maps them:
    /// <c>minimal</c> → <c>low</c>, <c>medium</c> and <c>xhigh</c> → <c>high</c>, <c>ultra</c> → <c>max</c>. With
    /// <c>max</c> an unset <c>max_tokens</c> defaults to 128K in thinking mode (capped by the context).
    /// </summary>
    public string? ReasoningEffort { get; set; }

    /// <summary>DeepSeek's content-safety level, <c>{"level": "high"|"low"}</c>: accepted, no effect here.</summary>
    public SafetyCheckDto? SafetyCheck { get; set; }

    public double? FrequencyPenalty { get; set; }

    public double? PresencePenalty { get; set; }

    public int? MaxTokens { get; set; }

    /// <summary>OpenAI's newer name for <c>max_tokens</c>.</summary>
    public int? MaxCompletionTokens { get; set; }

    public ResponseFormatDto? ResponseFormat { get; set; }

    /// <summary>Up to 16 strings; generation stops before any of them and they are not returned.</summary>
    [JsonConverter(typeof(StringOrArrayConverter))]
    public List<string>? Stop { get; set; }

    public bool? Stream { get; set; }

    public StreamOptionsDto? StreamOptions { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    /// <summary>Extension: sample only among the k most likely tokens.</summary>
    public int? TopK { get; set; }

    /// <summary>Extension (OpenAI's field): the same seed and parameters give the same output.</summary>
    public long? Seed { get; set; }

    /// <summary>
    /// Extension (OpenAI's field): choices to generate from the one prompt, 1 to <c>Limits:MaxChoices</c> (default 8).
    /// They share one prefill; choice k of a seeded request samples with seed + k. Usage counts the prompt once and the
    /// completion tokens of all choices.
    /// </summary>
    public int? N { get; set; }

    public JsonElement? Tools { get; set; }

    public JsonElement? ToolChoice { get; set; }

    public bool? Logprobs { get; set; }

    public int? TopLogprobs { get; set; }

    public string? User { get; set; }

    public string? UserId { get; set; }
}
