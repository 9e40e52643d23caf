namespace InferenceServer.Videos;

/// <summary>Configuration section <c>Videos</c>: the job queue, concurrency, the store and the encoder.</summary>
public sealed class VideoOptions
{
    /// <summary>false: no video models at all, neither <c>VideoModels</c> nor the forge demo (video jobs then get the 400 <c>model_not_found</c>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Jobs waiting (not yet running) over all models; past it, POST /v1/videos gets 503 with Retry-After.</summary>
    public int MaxQueuedJobs { get; set; } = 16;

    /// <summary>Jobs computed at the same time per model.</summary>
    public int JobsPerModel { get; set; } = 1;

    /// <summary>Where job state and video files are kept; empty: <c>inferenceserver-videos</c> under the system temp folder.</summary>
    public string Directory { get; set; } = string.Empty;

    /// <summary>How long a finished video's files are kept (its <c>expires_at</c>).</summary>
    public double LifetimeMinutes { get; set; } = 24 * 60;

    /// <summary>The folder holding ffmpeg and ffprobe; empty: the PATH.</summary>
    public string FfmpegFolder { get; set; } = string.Empty;
}
