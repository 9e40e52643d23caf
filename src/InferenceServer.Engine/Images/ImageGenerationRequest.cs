namespace InferenceServer.Engine.Images;

/// <summary>
/// One image to make. <see cref="InitImage"/> turns it into image-to-image (noised to <see cref="Strength"/>);
/// <see cref="Mask"/> (one value per pixel of the init image, 1 = repaint, 0 = keep) into inpainting.
/// Null steps, guidance and scheduler take the model's defaults.
/// </summary>
public sealed record ImageGenerationRequest(string Prompt, int Width, int Height, long Seed)
{
    public string NegativePrompt { get; init; } = string.Empty;

    public int? Steps { get; init; }

    public float? GuidanceScale { get; init; }

    public SchedulerKind? Scheduler { get; init; }

    public RgbImage? InitImage { get; init; }

    public float Strength { get; init; } = 1.0f;

    public float[]? Mask { get; init; }
}
