using InferenceServer.Engine.Images;
using InferenceServer.Files;
using SkiaSharp;

namespace InferenceServer.Vision;

/// <summary>
/// Decodes a chat image with SkiaSharp. The format comes from the first bytes (JPEG, PNG, GIF, WebP; an SVG or a text
/// file with an image type is refused), the pixel count from the header before any pixel is decoded (a decompression
/// bomb costs nothing), then a full decode that must complete (truncated files are refused). GIFs give their first frame;
/// <c>detail: low</c> scales the picture down to fit the low-detail box.
/// </summary>
internal static class ImageDecoder
{
    public static DecodedImage Decode(ImagePart part, byte[] bytes, VisionOptions options)
    {
        var format = ImageSniffer.ContentType(bytes.AsSpan(0, Math.Min(bytes.Length, ImageSniffer.HeaderBytes)))
            ?? throw VisionErrors.InvalidImage(part.Param, "the content is not a JPEG, PNG, GIF or WebP image (the format is read from the bytes, not the declared type).");
        if (ImageHeader.TryReadSize(bytes, format, out var declaredWidth, out var declaredHeight))
        {
            CheckSize(part, declaredWidth, declaredHeight, options);
        }

        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
            ?? throw VisionErrors.InvalidImage(part.Param, $"the {format} image is corrupt (its header cannot be read).");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        CheckSize(part, width, height, options);

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels(), new SKCodecOptions(0)); // frame 0: a GIF's first frame
        if (result != SKCodecResult.Success)
        {
            throw VisionErrors.InvalidImage(part.Param, result == SKCodecResult.IncompleteInput
                ? $"the {format} image is truncated."
                : $"the {format} image could not be decoded ({result}).");
        }

        var (w, h) = Fit(width, height, part.Detail == ImageDetail.Low ? options.LowDetailSize : int.MaxValue);
        return new DecodedImage(part, format, width, height, ToRgb(bitmap, w, h));
    }

    private static void CheckSize(ImagePart part, int width, int height, VisionOptions options)
    {
        if (width <= 0 || height <= 0 || (long)width * height > options.MaxImagePixels)
        {
            throw VisionErrors.InvalidImage(part.Param, $"the image is {width}x{height}; an image may have at most {options.MaxImagePixels} pixels (Vision:MaxImagePixels).");
        }
    }

    /// <summary>The size that fits <paramref name="box"/>×<paramref name="box"/> with the aspect ratio kept; never larger than the original.</summary>
    internal static (int Width, int Height) Fit(int width, int height, int box)
    {
        if (width <= box && height <= box)
        {
            return (width, height);
        }

        var scale = Math.Min((double)box / width, (double)box / height);
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }

    private static RgbImage ToRgb(SKBitmap bitmap, int width, int height)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var resized = width == bitmap.Width && height == bitmap.Height
            ? bitmap.Copy()
            : bitmap.Resize(info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        var source = resized.GetPixelSpan();
        var pixels = new byte[width * height * 3];
        for (int p = 0, n = width * height; p < n; p++)
        {
            pixels[(p * 3) + 0] = source[(p * 4) + 0];
            pixels[(p * 3) + 1] = source[(p * 4) + 1];
            pixels[(p * 3) + 2] = source[(p * 4) + 2];
        }

        return new RgbImage(width, height, pixels);
    }
}
