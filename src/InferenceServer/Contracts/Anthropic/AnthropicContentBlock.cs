using System.Text.Json;

namespace InferenceServer.Contracts.Anthropic;

/// <summary>A content block of a response: <c>text</c>, <c>thinking</c> or <c>tool_use</c> (only that type's fields are set).</summary>
public sealed class AnthropicContentBlock
{
    public required string Type { get; init; }

    public string? Text { get; init; }

    public string? Thinking { get; init; }

    /// <summary>Thinking blocks carry an empty signature: this server does not sign reasoning (DeepSeek neither).</summary>
    public string? Signature { get; init; }

    public string? Id { get; init; }

    public string? Name { get; init; }

    public JsonElement? Input { get; init; }
}
