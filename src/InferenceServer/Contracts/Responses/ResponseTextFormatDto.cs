using System.Text.Json;

namespace InferenceServer.Contracts.Responses;

public sealed class ResponseTextFormatDto
{
    /// <summary><c>text</c>, <c>json_object</c> or <c>json_schema</c>.</summary>
    public string? Type { get; set; }

    /// <summary>The schema's name (<c>json_schema</c>).</summary>
    public string? Name { get; set; }

    public string? Description { get; set; }

    /// <summary>The JSON Schema the output follows (<c>json_schema</c>).</summary>
    public JsonElement? Schema { get; set; }

    /// <summary>With <c>true</c>, decoding is constrained to the schema exactly.</summary>
    public bool? Strict { get; set; }
}
