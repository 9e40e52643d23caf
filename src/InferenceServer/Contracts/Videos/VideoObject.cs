namespace InferenceServer.Contracts.Videos;

/// <summary>A video job as OpenAI's <c>/v1/videos</c> returns it.</summary>
public sealed class VideoObject
{
    public required string Id { get; init; }

    public string Object { get; init; } = "video";

    public required string Model { get; init; }

    /// <summary><c>queued</c>, <c>in_progress</c>, <c>completed</c> or <c>failed</c>.</summary>
    public required string Status { get; init; }

    /// <summary>0–100, updated after every denoising step.</summary>
    public required int Progress { get; init; }

    /// <summary>Unix seconds.</summary>
    public required long CreatedAt { get; init; }

    public long? CompletedAt { get; init; }

    public long? ExpiresAt { get; init; }

    /// <summary><c>WIDTHxHEIGHT</c>.</summary>
    public required string Size { get; init; }

    /// <summary>Duration in seconds, as a string (<c>"4"</c>).</summary>
    public required string Seconds { get; init; }

    public required string Prompt { get; init; }

    /// <summary>The job this one remixes, when it is a remix.</summary>
    public string? RemixedFromVideoId { get; init; }

    public VideoError? Error { get; init; }
}
