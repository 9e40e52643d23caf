using SkiaSharp;

namespace InferenceServer.Benchmarks.Vision;

/// <summary>
/// Distinct PNGs for the vision benchmark, encoded before they are timed: a red gradient with coloured discs placed by
/// the image's number, so every request brings a picture nobody sent before (no prefix-cache hit on our side, as on
/// GenAI's, which has none) and the forge model names it red on both engines.
/// </summary>
internal sealed class BenchImages(int size)
{
    private int _next;

    /// <summary><paramref name="count"/> new pictures: the PNG bytes and the same as a data: URL.</summary>
    public (byte[] Png, string DataUrl)[] Fresh(int count) => Enumerable.Range(0, count).Select(_ => Make(Interlocked.Increment(ref _next))).ToArray();

    private (byte[] Png, string DataUrl) Make(int number)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(bitmap))
        {
            using var shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(size, size),
                [new SKColor(230, 50, 40), new SKColor(150, 20, 60)], SKShaderTileMode.Clamp);
            using var background = new SKPaint { Shader = shader };
            canvas.DrawRect(0, 0, size, size, background);
            var random = new Random(number);
            using var disc = new SKPaint { IsAntialias = true };
            for (var i = 0; i < 12; i++)
            {
                disc.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), 160);
                canvas.DrawCircle(random.Next(size), random.Next(size), size / 24f, disc);
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        var png = data.ToArray();
        return (png, "data:image/png;base64," + Convert.ToBase64String(png));
    }
}
