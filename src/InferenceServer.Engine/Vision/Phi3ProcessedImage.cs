namespace InferenceServer.Engine.Vision;

/// <summary>One image after the Phi-3 HD transform: its crops' pixel values, its HD size and the image tokens it becomes.</summary>
internal sealed record Phi3ProcessedImage(float[] PixelValues, int HdHeight, int HdWidth, int ImageTokens);
