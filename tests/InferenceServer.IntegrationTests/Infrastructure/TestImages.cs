using SkiaSharp;

namespace InferenceServer.IntegrationTests.Infrastructure;

/// <summary>Builds and reads the images the image tests send and receive, with SkiaSharp.</summary>
public static class TestImages
{
    /// <summary>A PNG of one solid colour.</summary>
    public static byte[] Solid(int width, int height, SKColor color, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.Erase(color);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }

    /// <summary>An OpenAI-style mask: transparent (edit) where x ≥ <paramref name="fromX"/>, opaque elsewhere.</summary>
    public static byte[] MaskRightOf(int width, int height, int fromX)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, x >= fromX ? new SKColor(0, 0, 0, 0) : new SKColor(0, 0, 0, 255));
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public static SKBitmap Decode(byte[] bytes, out SKEncodedImageFormat format)
    {
        using var codec = SKCodec.Create(SKData.CreateCopy(bytes)) ?? throw new InvalidOperationException("not an image");
        format = codec.EncodedFormat;
        return SKBitmap.Decode(bytes);
    }

    /// <summary>Mean absolute RGB difference from <paramref name="color"/> over columns [fromX, toX).</summary>
    public static double MeanDifference(SKBitmap bitmap, SKColor color, int fromX, int toX)
    {
        double sum = 0;
        int count = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = fromX; x < toX; x++)
            {
                var p = bitmap.GetPixel(x, y);
                sum += Math.Abs(p.Red - color.Red) + Math.Abs(p.Green - color.Green) + Math.Abs(p.Blue - color.Blue);
                count += 3;
            }
        }

        return sum / count;
    }
}
