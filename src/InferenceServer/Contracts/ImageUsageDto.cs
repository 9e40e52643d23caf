namespace InferenceServer.Contracts;

/// <summary>Image usage: prompt tokens as the CLIP tokenizer counts them (per image, summed); no output tokens.</summary>
public sealed class ImageUsageDto
{
    public required int InputTokens { get; init; }

    public required ImageTokenDetails InputTokensDetails { get; init; }

    public required int OutputTokens { get; init; }

    public required int TotalTokens { get; init; }
}
