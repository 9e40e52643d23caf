using InferenceServer.Engine.Images;

namespace InferenceServer.Vision;

/// <summary>An image read and decoded: its format (from the bytes), its size as sent and its RGB pixels after <c>detail</c>.</summary>
public sealed record DecodedImage(ImagePart Part, string Format, int Width, int Height, RgbImage Pixels);
