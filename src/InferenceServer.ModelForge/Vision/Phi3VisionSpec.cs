namespace InferenceServer.ModelForge.Vision;

/// <summary>
/// The fixed sizes of ONNX Runtime GenAI's phi3v layout (Phi-3.5-vision): 336-pixel crops, 144 tokens per crop,
/// 12 separator tokens per crop row, CLIP's normalisation, and the crop bound the Phi-3 HD transform of
/// onnxruntime-extensions applies.
/// </summary>
public static class Phi3VisionSpec
{
    public const int CropSize = 336;

    public const int TokensPerCrop = 144;

    public const int SeparatorTokensPerRow = 12;

    /// <summary>The most HD crops per image (<c>max_crops</c> in the extension; pixel_values carries this many plus the global view).</summary>
    public const int MaxCrops = 16;

    public static IReadOnlyList<float> Mean { get; } = [0.48145466f, 0.4578275f, 0.40821073f];

    public static IReadOnlyList<float> Std { get; } = [0.26862954f, 0.26130258f, 0.27577711f];

    /// <summary>Image tokens of an HD image <paramref name="height"/> × <paramref name="width"/> (multiples of 336).</summary>
    public static int ImageTokens(int height, int width)
    {
        var rows = height / CropSize;
        var columns = width / CropSize;
        return (((rows * columns) + 1) * TokensPerCrop) + 1 + ((rows + 1) * SeparatorTokensPerRow);
    }
}
