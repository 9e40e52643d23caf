namespace InferenceServer.Contracts;

/// <summary>Image usage: prompt tokens as the model's tokenizer counts them (per image, summed); output tokens are the image tokens a model that draws token by token wrote (576 per Janus-Pro image), none for diffusion.</summary>
public sealed class ImageUsageDto
{
    public required int InputTokens { get; init; }

    public required ImageTokenDetails InputTokensDetails { get; init; }

    public required int OutputTokens { get; init; }

    public required int TotalTokens { get; init; }
}
