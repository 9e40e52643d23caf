namespace InferenceServer.Vision;

/// <summary>
/// Configuration section <c>Vision</c>: the bounds on images in chat, Anthropic and Responses requests. Remote images
/// are fetched under <c>RemoteFetch</c> (allow-list, 32 MiB, 60 s by default, as DeepSeek).
/// </summary>
public sealed class VisionOptions
{
    /// <summary>The most image parts one request may carry, over all its messages (over ⇒ 422 naming the first extra part).</summary>
    public int MaxImagesPerRequest { get; set; } = 16;

    /// <summary>The largest image, in bytes once a data URL is decoded or a file read (fetched ones: RemoteFetch:MaxBytes).</summary>
    public long MaxImageBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>The most pixels (width × height, read from the header before decoding) one image may have.</summary>
    public long MaxImagePixels { get; set; } = 36_000_000;

    /// <summary>The box <c>detail: low</c> images are scaled down to fit, keeping their aspect ratio.</summary>
    public int LowDetailSize { get; set; } = 512;
}
