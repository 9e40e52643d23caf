using System.Text.Json;

namespace InferenceServer.Contracts;

public sealed class ResponseFormatDto
{
    /// <summary><c>text</c> (<c>json_object</c> and <c>json_schema</c> are not served yet).</summary>
    public string? Type { get; set; }

    public JsonElement? JsonSchema { get; set; }
}
