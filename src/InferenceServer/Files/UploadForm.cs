namespace InferenceServer.Files;

/// <summary>The non-file fields of an upload form, as read so far.</summary>
internal sealed class UploadForm
{
    public string? Purpose { get; set; }

    public string? ExpiresAnchor { get; set; }

    public string? ExpiresSeconds { get; set; }

    public string? TempPath { get; set; }

    public string Filename { get; set; } = "upload";

    public long Bytes { get; set; }

    public string? ContentType { get; set; }
}
