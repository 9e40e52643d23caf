using System.Text.Json.Serialization;

namespace InferenceServer.Errors;

public sealed record AnthropicErrorBody(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("message")] string Message);
