using System.Text.Json;

namespace InferenceServer.Contracts.Responses;

/// <summary>A response: its output items, status and usage, and the settings it ran with.</summary>
public sealed class ResponseObject
{
    public required string Id { get; init; }

    public string Object { get; init; } = "response";

    public long CreatedAt { get; init; }

    /// <summary><c>in_progress</c>, <c>completed</c>, <c>incomplete</c> or <c>failed</c>.</summary>
    public string Status { get; set; } = "in_progress";

    public ResponseErrorDto? Error { get; set; }

    public ResponseIncompleteDetails? IncompleteDetails { get; set; }

    public string? Instructions { get; init; }

    public int? MaxOutputTokens { get; init; }

    public required string Model { get; init; }

    public List<ResponseItemDto> Output { get; set; } = [];

    public bool ParallelToolCalls { get; init; } = true;

    public string? PreviousResponseId { get; init; }

    public ResponseReasoningDto? Reasoning { get; init; }

    public bool Store { get; init; }

    public double? Temperature { get; init; }

    public ResponseTextDto? Text { get; init; }

    public JsonElement? ToolChoice { get; init; }

    public JsonElement? Tools { get; init; }

    public double? TopP { get; init; }

    public string Truncation { get; init; } = "disabled";

    public ResponseUsageDto? Usage { get; set; }

    public Dictionary<string, string> Metadata { get; init; } = [];
}
