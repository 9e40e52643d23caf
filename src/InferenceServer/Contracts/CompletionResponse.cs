namespace InferenceServer.Contracts;

/// <summary>A <c>text_completion</c> object: the whole body, or one streamed chunk.</summary>
public sealed class CompletionResponse
{
    public required string Id { get; init; }

    public string Object { get; init; } = "text_completion";

    public required long Created { get; init; }

    public required string Model { get; init; }

    public required string SystemFingerprint { get; init; }

    public required List<CompletionChoice> Choices { get; init; }

    public UsageDto? Usage { get; init; }
}
