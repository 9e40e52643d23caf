namespace InferenceServer.Contracts.Responses;

/// <summary>A content part: <c>output_text</c> (message) or <c>reasoning_text</c> (reasoning).</summary>
public sealed class ResponseContentPartDto
{
    public required string Type { get; init; }

    public string Text { get; set; } = string.Empty;

    /// <summary>Always empty for <c>output_text</c>; absent on <c>reasoning_text</c>.</summary>
    public List<object>? Annotations { get; init; }
}
