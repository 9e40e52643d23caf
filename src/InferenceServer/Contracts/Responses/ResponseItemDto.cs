namespace InferenceServer.Contracts.Responses;

/// <summary>An output item: <c>reasoning</c> (content of <c>reasoning_text</c>), <c>message</c> (<c>output_text</c>) or <c>function_call</c>.</summary>
public sealed class ResponseItemDto
{
    public required string Type { get; init; }

    public required string Id { get; init; }

    /// <summary><c>in_progress</c>, <c>completed</c> or <c>incomplete</c>.</summary>
    public string Status { get; set; } = "in_progress";

    /// <summary><c>assistant</c> (message items).</summary>
    public string? Role { get; init; }

    public List<ResponseContentPartDto>? Content { get; init; }

    /// <summary>Reasoning items: always empty; the reasoning itself is in <see cref="Content"/>.</summary>
    public List<ResponseContentPartDto>? Summary { get; init; }

    public string? CallId { get; init; }

    public string? Name { get; init; }

    public string? Arguments { get; set; }
}
