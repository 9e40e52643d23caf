namespace InferenceServer.Engine.Videos;

/// <summary>
/// Wan's shape rules: frames = 4k+1 (the VAE's 4× temporal compression, the first frame alone), width and height
/// multiples of 16 (8× VAE, 2×2 patches). Messages name the value and the rule.
/// </summary>
public static class VideoFrameRules
{
    public const int TemporalFactor = 4;

    public const int SizeMultiple = 16;

    /// <summary>The smallest 4k+1 frame count that holds <paramref name="frames"/> frames.</summary>
    public static int FramesToGenerate(int frames) => frames <= 1 ? 1 : ((frames - 1 + TemporalFactor - 1) / TemporalFactor * TemporalFactor) + 1;

    /// <summary>Null when the request fits the rules, else the sentence that says which one it breaks.</summary>
    public static string? Check(int width, int height, int frames)
    {
        if (width <= 0 || height <= 0 || width % SizeMultiple != 0 || height % SizeMultiple != 0)
        {
            return $"The size {width}x{height} does not fit this pipeline: width and height must be positive multiples of {SizeMultiple}.";
        }

        if (frames < 1 || (frames - 1) % TemporalFactor != 0)
        {
            return $"{frames} frames does not fit this pipeline: the frame count must be 4k+1 (1, 5, 9, …, 81).";
        }

        return null;
    }
}
