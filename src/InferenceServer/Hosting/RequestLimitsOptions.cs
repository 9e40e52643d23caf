namespace InferenceServer.Hosting;

/// <summary>
/// Configuration section <c>Limits</c>: request body size per kind of route (over ⇒ 413 with the error envelope),
/// the Kestrel limits on headers and idle connections, and the most choices (<c>n</c>) one generation may ask for.
/// </summary>
public sealed class RequestLimitsOptions
{
    /// <summary>The highest <see cref="MaxChoices"/> the server accepts.</summary>
    public const int MaxChoicesCeiling = 128;

    /// <summary>The largest <c>n</c> a chat or text completion may ask for (over ⇒ 422 naming <c>n</c>).</summary>
    public int MaxChoices { get; set; } = 8;

    /// <summary>Chat, completions and messages bodies, which may carry images inline as data URLs: 48 MiB, as DeepSeek.</summary>
    public long MaxChatBodyBytes { get; set; } = 48 * 1024 * 1024;

    public long MaxEmbeddingsBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Image generation and edits, including multipart uploads.</summary>
    public long MaxImagesBodyBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>File uploads (<c>POST /files</c>): Files:MaxFileBytes plus room for the form's other fields.</summary>
    public long MaxFilesBodyBytes { get; set; } = 65 * 1024 * 1024;

    /// <summary>Every other route.</summary>
    public long MaxOtherBodyBytes { get; set; } = 1024 * 1024;

    public int MaxRequestHeadersTotalBytes { get; set; } = 32 * 1024;

    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>The limit and its configuration key for a request path.</summary>
    public (long Bytes, string Key) ForPath(PathString path)
    {
        var p = path.Value ?? string.Empty;
        if (p.Contains("/images/", StringComparison.OrdinalIgnoreCase))
        {
            return (MaxImagesBodyBytes, "Limits:MaxImagesBodyBytes");
        }

        if (p.EndsWith("/files", StringComparison.OrdinalIgnoreCase))
        {
            return (MaxFilesBodyBytes, "Limits:MaxFilesBodyBytes");
        }

        if (p.EndsWith("/embeddings", StringComparison.OrdinalIgnoreCase))
        {
            return (MaxEmbeddingsBodyBytes, "Limits:MaxEmbeddingsBodyBytes");
        }

        if (p.EndsWith("/completions", StringComparison.OrdinalIgnoreCase) || p.EndsWith("/messages", StringComparison.OrdinalIgnoreCase)
            || p.EndsWith("/responses", StringComparison.OrdinalIgnoreCase))
        {
            return (MaxChatBodyBytes, "Limits:MaxChatBodyBytes");
        }

        return (MaxOtherBodyBytes, "Limits:MaxOtherBodyBytes");
    }

    public long Largest => Math.Max(
        Math.Max(Math.Max(MaxChatBodyBytes, MaxEmbeddingsBodyBytes), Math.Max(MaxImagesBodyBytes, MaxOtherBodyBytes)),
        MaxFilesBodyBytes);
}
