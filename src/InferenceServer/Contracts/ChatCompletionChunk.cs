namespace InferenceServer.Contracts;

/// <summary>One SSE event of a streamed chat completion.</summary>
public sealed class ChatCompletionChunk
{
    public required string Id { get; init; }

    public string Object { get; init; } = "chat.completion.chunk";

    public required long Created { get; init; }

    public required string Model { get; init; }

    public required string SystemFingerprint { get; init; }

    public required List<ChunkChoice> Choices { get; init; }

    /// <summary>On the final chunk (and on the trailing usage chunk with <c>include_usage</c>).</summary>
    public UsageDto? Usage { get; init; }
}
