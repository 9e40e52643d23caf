namespace InferenceServer.Videos;

/// <summary>
/// One video job as kept on disk (<c>{id}.json</c>) and in memory. The settings are fixed at creation; the state
/// fields change under the store's lock and are written through at each change of status.
/// </summary>
public sealed class VideoJob
{
    public required string Id { get; init; }

    public required string Owner { get; init; }

    public required string Model { get; init; }

    public required string Prompt { get; init; }

    public string NegativePrompt { get; init; } = string.Empty;

    public required int Width { get; init; }

    public required int Height { get; init; }

    public required int Seconds { get; init; }

    public required int Fps { get; init; }

    public required int Steps { get; init; }

    public required float GuidanceScale { get; init; }

    public required long Seed { get; init; }

    public required long CreatedAt { get; init; }

    /// <summary>The creation time in milliseconds, so jobs made within one second list in the order they came.</summary>
    public long CreatedAtMs { get; init; }

    public string? RemixedFrom { get; init; }

    /// <summary>Whether an image-to-video reference is stored beside the job (<c>{id}.reference</c>).</summary>
    public bool HasReference { get; init; }

    public string Status { get; set; } = VideoStatus.Queued;

    public int Progress { get; set; }

    public long? CompletedAt { get; set; }

    public long? ExpiresAt { get; set; }

    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }
}
