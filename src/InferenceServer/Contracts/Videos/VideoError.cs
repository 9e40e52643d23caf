namespace InferenceServer.Contracts.Videos;

/// <summary>Why a job failed.</summary>
public sealed class VideoError
{
    public required string Code { get; init; }

    public required string Message { get; init; }
}
