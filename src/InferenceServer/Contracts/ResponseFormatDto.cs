using System.Text.Json;

namespace InferenceServer.Contracts;

public sealed class ResponseFormatDto
{
    /// <summary><c>text</c>, <c>json_object</c> (valid JSON guaranteed) or <c>json_schema</c> (OpenAI's shape).</summary>
    public string? Type { get; set; }

    public JsonElement? JsonSchema { get; set; }
}
