namespace InferenceServer.Videos;

/// <summary>A job's status names, as OpenAI's video object spells them.</summary>
public static class VideoStatus
{
    public const string Queued = "queued";
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
}
