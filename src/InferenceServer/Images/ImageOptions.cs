namespace InferenceServer.Images;

/// <summary>Configuration section <c>Images</c>: image-request concurrency, the URL store and upload limits.</summary>
public sealed class ImageOptions
{
    /// <summary>false: no image models at all, neither <c>ImageModels</c> nor the forge demo (image routes then get the 400 <c>model_not_found</c>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Image requests computed at the same time (separate from text generation).</summary>
    public int MaxConcurrentRequests { get; set; } = 2;

    /// <summary>How long a request may wait for a free slot before it gets 503 with Retry-After.</summary>
    public double MaxQueueWaitSeconds { get; set; } = 30;

    /// <summary>How long <c>response_format: url</c> images are served before they are deleted.</summary>
    public double UrlLifetimeMinutes { get; set; } = 60;

    /// <summary>Where url images are kept; empty: a fresh folder under the system temp folder, removed at shutdown.</summary>
    public string StoreDirectory { get; set; } = string.Empty;

    /// <summary>Largest uploaded image or mask file, in bytes.</summary>
    public long MaxUploadBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>Largest uploaded image, in pixels (checked from the header, before decoding).</summary>
    public long MaxUploadPixels { get; set; } = 4096L * 4096L;
}
