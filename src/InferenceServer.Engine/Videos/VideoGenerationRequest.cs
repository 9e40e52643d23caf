using InferenceServer.Engine.Images;

namespace InferenceServer.Engine.Videos;

/// <summary>One text- or image-to-video run: the frame count must be 4k+1 and the size a multiple of 16 (Wan's rules).</summary>
public sealed record VideoGenerationRequest
{
    public required string Prompt { get; init; }

    public string NegativePrompt { get; init; } = string.Empty;

    public required int Width { get; init; }

    public required int Height { get; init; }

    public required int Frames { get; init; }

    public required int Steps { get; init; }

    public required float GuidanceScale { get; init; }

    public required long Seed { get; init; }

    /// <summary>The reference picture for an image-to-video export, any size (it is resized as diffusers does).</summary>
    public RgbImage? Image { get; init; }
}
