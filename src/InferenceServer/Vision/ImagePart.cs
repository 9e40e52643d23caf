namespace InferenceServer.Vision;

/// <summary>
/// One image (or video: <see cref="IsVideo"/>) a request names, before it is read: a URL (<c>data:</c> or http(s)) or an uploaded file's id.
/// <see cref="PartParam"/> names the part (<c>messages[0].content[1]</c>), <see cref="Param"/> the field the image
/// came from (<c>messages[0].content[1].image_url.url</c>); every error about the image names the latter.
/// </summary>
public sealed record ImagePart(string Type, string PartParam, string Param, string? Url, string? FileId, ImageDetail Detail)
{
    /// <summary>A <c>file</c> part whose uploaded file is a video (known once the file is looked up).</summary>
    public bool VideoFile { get; init; }

    /// <summary>A video part (<c>video_url</c>, <c>input_video</c>, or a file part naming a video): its sampled frames become the images.</summary>
    public bool IsVideo => VideoFile || Type is "video_url" or "input_video";
}
