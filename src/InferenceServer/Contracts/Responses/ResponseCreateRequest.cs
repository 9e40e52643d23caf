using System.Text.Json;

namespace InferenceServer.Contracts.Responses;

/// <summary>Body of <c>POST /responses</c> (OpenAI's Responses API as DeepSeek serves it; unknown fields are ignored).</summary>
public sealed class ResponseCreateRequest
{
    /// <summary>A model id or alias from <c>GET /models</c>, e.g. <c>deepseek-chat</c>.</summary>
    public string? Model { get; set; }

    /// <summary>A string (one user message) or an array of items: <c>message</c>, <c>function_call</c>, <c>function_call_output</c>, <c>reasoning</c>.</summary>
    public JsonElement? Input { get; set; }

    /// <summary>A system message put before the input (not carried over by <c>previous_response_id</c>).</summary>
    public string? Instructions { get; set; }

    /// <summary>Function tools in the Responses shape: <c>{"type":"function","name","description","parameters","strict"}</c>.</summary>
    public JsonElement? Tools { get; set; }

    /// <summary><c>none</c>, <c>auto</c>, <c>required</c>, or <c>{"type":"function","name":...}</c>.</summary>
    public JsonElement? ToolChoice { get; set; }

    public bool? ParallelToolCalls { get; set; }

    public int? MaxOutputTokens { get; set; }

    public ResponseReasoningDto? Reasoning { get; set; }

    public ResponseTextDto? Text { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public bool? Stream { get; set; }

    /// <summary>Keep the response (default false: stateless), so it can be read, deleted and continued by <c>previous_response_id</c>.</summary>
    public bool? Store { get; set; }

    public Dictionary<string, string>? Metadata { get; set; }

    /// <summary>Continue a stored response: its input and output come before this request's input.</summary>
    public string? PreviousResponseId { get; set; }

    /// <summary>DeepSeek's <c>{"level":"high"|"low"}</c>, checked as chat's.</summary>
    public SafetyCheckDto? SafetyCheck { get; set; }

    public string? User { get; set; }
}
