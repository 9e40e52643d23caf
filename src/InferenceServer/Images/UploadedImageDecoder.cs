using InferenceServer.Engine.Images;
using InferenceServer.Errors;
using SkiaSharp;

namespace InferenceServer.Images;

/// <summary>
/// Decodes uploaded images and masks with SkiaSharp. Limits come first: the byte size before reading, the pixel count
/// from the header before decoding (so a decompression bomb costs nothing), then a full decode that must complete
/// (truncated files are refused). Every failure is a 400 envelope naming the field.
/// </summary>
internal static class UploadedImageDecoder
{
    public static async Task<byte[]> ReadAsync(IFormFile file, string field, ImageOptions limits, CancellationToken cancellationToken)
    {
        if (file.Length == 0)
        {
            throw Invalid(field, $"The '{field}' file is empty.");
        }

        if (file.Length > limits.MaxUploadBytes)
        {
            throw Invalid(field, $"The '{field}' file is {file.Length} bytes; the limit is {limits.MaxUploadBytes} bytes.");
        }

        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>The upload as RGBA (unpremultiplied), with its original size.</summary>
    public static SKBitmap Decode(byte[] bytes, string field, ImageOptions limits)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
            ?? throw Invalid(field, $"The '{field}' file is not a PNG, JPEG or WebP image.");
        if (codec.EncodedFormat is not (SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Webp))
        {
            throw Invalid(field, $"The '{field}' file is {codec.EncodedFormat}; send PNG, JPEG or WebP.");
        }

        long pixels = (long)codec.Info.Width * codec.Info.Height;
        if (codec.Info.Width <= 0 || codec.Info.Height <= 0 || pixels > limits.MaxUploadPixels)
        {
            throw Invalid(field, $"The '{field}' image is {codec.Info.Width}x{codec.Info.Height}; the limit is {limits.MaxUploadPixels} pixels.");
        }

        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw Invalid(field, result == SKCodecResult.IncompleteInput
                ? $"The '{field}' image is truncated."
                : $"The '{field}' image could not be decoded ({result}).");
        }

        return bitmap;
    }

    /// <summary>The RGB pixels of <paramref name="bitmap"/> stretched to <paramref name="size"/>.</summary>
    public static RgbImage ToRgb(SKBitmap bitmap, ImageSize size)
    {
        using var resized = Resize(bitmap, size);
        var source = resized.GetPixelSpan();
        var pixels = new byte[size.Width * size.Height * 3];
        for (int p = 0, n = size.Width * size.Height; p < n; p++)
        {
            pixels[(p * 3) + 0] = source[(p * 4) + 0];
            pixels[(p * 3) + 1] = source[(p * 4) + 1];
            pixels[(p * 3) + 2] = source[(p * 4) + 2];
        }

        return new RgbImage(size.Width, size.Height, pixels);
    }

    /// <summary>OpenAI's mask convention, per pixel of <paramref name="size"/>: transparent (alpha 0) = 1 (repaint), opaque = 0.</summary>
    public static float[] ToMask(SKBitmap bitmap, ImageSize size)
    {
        using var resized = Resize(bitmap, size);
        var source = resized.GetPixelSpan();
        var mask = new float[size.Width * size.Height];
        for (int p = 0; p < mask.Length; p++)
        {
            mask[p] = 1f - (source[(p * 4) + 3] / 255f);
        }

        return mask;
    }

    private static SKBitmap Resize(SKBitmap bitmap, ImageSize size)
    {
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        return bitmap.Resize(info, new SKSamplingOptions(SKFilterMode.Linear))
            ?? throw new InvalidOperationException("SkiaSharp could not resize the image.");
    }

    private static ApiException Invalid(string field, string message) =>
        new(StatusCodes.Status400BadRequest, message, "invalid_request_error", field, "invalid_image");
}
