namespace InferenceServer.Engine.Images;

/// <summary>An 8-bit RGB picture, pixels row by row, three bytes each.</summary>
public sealed record RgbImage(int Width, int Height, byte[] Pixels)
{
    public byte this[int x, int y, int channel] => Pixels[(((y * Width) + x) * 3) + channel];
}
