namespace InferenceServer.Contracts.Videos;

/// <summary>A page of this API key's video jobs.</summary>
public sealed class VideoList
{
    public string Object { get; init; } = "list";

    public required IReadOnlyList<VideoObject> Data { get; init; }

    public string? FirstId { get; init; }

    public string? LastId { get; init; }

    public required bool HasMore { get; init; }
}
