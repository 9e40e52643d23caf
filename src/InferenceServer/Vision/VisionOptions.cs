namespace InferenceServer.Vision;

/// <summary>
/// Configuration section <c>Vision</c>: the bounds on images in chat, Anthropic and Responses requests, and on video
/// parts, whose sampled frames (read with FFmpeg) become images. Remote images and videos are fetched under
/// <c>RemoteFetch</c> (allow-list, 32 MiB, 60 s by default, as DeepSeek).
/// </summary>
public sealed class VisionOptions
{
    /// <summary>
    /// The most images one request may carry, over all its messages, each sampled frame of a video counting as one
    /// (over ⇒ 422 naming the first part past it).
    /// </summary>
    public int MaxImagesPerRequest { get; set; } = 16;

    /// <summary>The largest image, in bytes once a data URL is decoded or a file read (fetched ones: RemoteFetch:MaxBytes).</summary>
    public long MaxImageBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>The most pixels (width × height, read from the header before decoding) one image may have.</summary>
    public long MaxImagePixels { get; set; } = 36_000_000;

    /// <summary>The box <c>detail: low</c> images are scaled down to fit, keeping their aspect ratio.</summary>
    public int LowDetailSize { get; set; } = 512;

    /// <summary>Frames sampled per second of a video part; a longer video is sampled more sparsely so that at most <see cref="MaxVideoFrames"/> cover all of it.</summary>
    public double VideoFps { get; set; } = 1;

    /// <summary>The most frames taken from one video part, spread over its whole length.</summary>
    public int MaxVideoFrames { get; set; } = 8;

    /// <summary>
    /// Pixels a sampled frame keeps at most: FFmpeg scales a larger one down (aspect kept) before it is written, so a
    /// high-resolution video costs no more memory than this per frame. 1,806,336 (1,344²) is what Phi-3.5-vision's HD
    /// transform keeps of any picture (16 crops of 336²); Janus keeps 384².
    /// </summary>
    public long MaxVideoFramePixels { get; set; } = 1344 * 1344;

    /// <summary>The largest video, in bytes once a data URL is decoded or a file read (fetched ones: RemoteFetch:MaxBytes).</summary>
    public long MaxVideoBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>How long FFmpeg may take to read one video's frames before the part is refused.</summary>
    public double VideoTimeoutSeconds { get; set; } = 30;

    /// <summary>Video parts decoded at the same time, server-wide; a part that finds no slot free within <see cref="VideoTimeoutSeconds"/> gets 503 with Retry-After.</summary>
    public int MaxConcurrentVideoDecodes { get; set; } = 2;
}
