using SkiaSharp;

namespace InferenceServer.Tests.Vision;

/// <summary>Small encoded test pictures.</summary>
internal static class TestImages
{
    /// <summary>A PNG of <paramref name="width"/> × <paramref name="height"/> filled with one colour, with a white band across the top fifth.</summary>
    public static byte[] Png(SKColor colour, int width = 64, int height = 48)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(colour);
            using var paint = new SKPaint { Color = SKColors.White };
            canvas.DrawRect(0, 0, width, Math.Max(1, height / 5), paint);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>The colour the forge vision model names for each test colour.</summary>
    public static TheoryData<string, uint> Colours => new()
    {
        { "red", 0xFFD02020 },
        { "green", 0xFF20B040 },
        { "blue", 0xFF3040E0 },
    };
}
