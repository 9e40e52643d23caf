namespace InferenceServer.Contracts.Videos;

/// <summary>The answer to <c>DELETE /v1/videos/{id}</c>.</summary>
public sealed class VideoDeleted
{
    public required string Id { get; init; }

    public string Object { get; init; } = "video.deleted";

    public bool Deleted { get; init; } = true;
}
