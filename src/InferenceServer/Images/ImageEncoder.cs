using InferenceServer.Engine.Images;
using SkiaSharp;

namespace InferenceServer.Images;

/// <summary>Encodes generated pixels as PNG, JPEG or WebP with SkiaSharp.</summary>
internal static class ImageEncoder
{
    public static IReadOnlyList<string> Formats { get; } = ["png", "jpeg", "webp"];

    public static byte[] Encode(RgbImage image, string format, int quality)
    {
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        var destination = bitmap.GetPixelSpan();
        var source = image.Pixels;
        for (int p = 0, n = image.Width * image.Height; p < n; p++)
        {
            destination[(p * 4) + 0] = source[(p * 3) + 0];
            destination[(p * 4) + 1] = source[(p * 3) + 1];
            destination[(p * 4) + 2] = source[(p * 3) + 2];
            destination[(p * 4) + 3] = 255;
        }

        var encoded = format switch
        {
            "jpeg" => SKEncodedImageFormat.Jpeg,
            "webp" => SKEncodedImageFormat.Webp,
            _ => SKEncodedImageFormat.Png,
        };
        using var skImage = SKImage.FromBitmap(bitmap);
        using var data = skImage.Encode(encoded, quality)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode {format}.");
        return data.ToArray();
    }

    public static string MediaType(string format) => format switch
    {
        "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        _ => "image/png",
    };
}
