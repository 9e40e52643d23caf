using System.Text.Json.Serialization;

namespace InferenceServer.Errors;

/// <summary>Anthropic's error body: <c>{"type":"error","error":{"type","message"}}</c>, on the Anthropic-format paths.</summary>
public sealed record AnthropicErrorEnvelope([property: JsonPropertyName("error")] AnthropicErrorBody Error)
{
    [JsonPropertyName("type")]
    public string Type => "error";
}
