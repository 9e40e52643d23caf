namespace InferenceServer.Files;

/// <summary>Configuration section <c>Files</c>: where uploaded files are kept, and how much they may take.</summary>
public sealed class FilesOptions
{
    /// <summary>DeepSeek's cap for an uploaded image (64 MiB).</summary>
    public const long DeepSeekImageCapBytes = 64L * 1024 * 1024;

    /// <summary>
    /// The folder for uploaded files and their metadata; empty: <c>inferenceserver-files</c> beside
    /// <c>Server:ModelCacheDirectory</c>. Files survive a restart.
    /// </summary>
    public string Directory { get; set; } = string.Empty;

    /// <summary>Largest single file, in bytes (DeepSeek's image cap by default).</summary>
    public long MaxFileBytes { get; set; } = DeepSeekImageCapBytes;

    /// <summary>All stored files together, in bytes; an upload that would go over it is refused.</summary>
    public long MaxTotalBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Seconds between sweeps that delete expired files (they are 404 from the moment they expire).</summary>
    public double SweepIntervalSeconds { get; set; } = 60;
}
