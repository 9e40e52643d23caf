namespace InferenceServer.Engine.Images;

/// <summary>A finished image and what it cost: prompt tokens (with BOS/EOS) and the UNet steps run.</summary>
public sealed record GeneratedImage(RgbImage Image, int PromptTokens, int Steps);
