using System.Text.Json.Serialization;

namespace InferenceServer.Errors;

/// <summary><c>{"error":{"message","type","param","code"}}</c>, the body of every error response.</summary>
public sealed record ErrorEnvelope([property: JsonPropertyName("error")] ErrorBody Error);
