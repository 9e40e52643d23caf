namespace InferenceServer.Contracts;

/// <summary>One image: base64 bytes or a URL on this server (valid for 60 minutes), and the prompt used.</summary>
public sealed class ImageDataDto
{
    public string? B64Json { get; init; }

    public string? Url { get; init; }

    public string? RevisedPrompt { get; init; }
}
