namespace InferenceServer.Contracts.Responses;

/// <summary>
/// One server-sent event of a streamed response (<c>event: type</c>, <c>data: {...}</c>); each carries the fields of
/// its type: <c>response</c> for the lifecycle events, <c>item</c> for output items, <c>part</c> for content parts,
/// <c>delta</c> / <c>text</c> / <c>arguments</c> for text and function-call arguments.
/// </summary>
public sealed class ResponseStreamEvent
{
    public required string Type { get; init; }

    public int SequenceNumber { get; set; }

    public ResponseObject? Response { get; init; }

    public int? OutputIndex { get; init; }

    public string? ItemId { get; init; }

    public int? ContentIndex { get; init; }

    public ResponseItemDto? Item { get; init; }

    public ResponseContentPartDto? Part { get; init; }

    public string? Delta { get; init; }

    public string? Text { get; init; }

    public string? Name { get; init; }

    public string? Arguments { get; init; }

    /// <summary>Empty on text events (no logprobs on this route).</summary>
    public List<object>? Logprobs { get; init; }
}
