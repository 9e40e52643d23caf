namespace InferenceServer.Contracts.Videos;

/// <summary><c>POST /v1/videos/{id}/remix</c>: a new job with the original's settings and this prompt.</summary>
public sealed class VideoRemixRequest
{
    public string? Prompt { get; init; }
}
