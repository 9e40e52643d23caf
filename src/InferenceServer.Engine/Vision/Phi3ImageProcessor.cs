using InferenceServer.Engine.Images;

namespace InferenceServer.Engine.Vision;

/// <summary>
/// The Phi-3 HD transform of onnxruntime-extensions (<c>Phi3ImageTransform</c>, which GenAI's phi3v processor runs):
/// resize so the picture tiles into at most <see cref="MaxCrops"/> 336-pixel crops with its aspect ratio kept
/// (bilinear), pad the short side with white to a multiple of 336, normalise with CLIP's mean and std, then a
/// 336 × 336 bicubic global view first and the crops row by row after it, zero crops up to the bound.
/// </summary>
internal static class Phi3ImageProcessor
{
    public const int CropSize = 336;

    /// <summary>The extension's <c>max_crops</c>: it tiles into at most this many crops whatever processor_config's <c>num_crops</c> says.</summary>
    public const int MaxCrops = 16;

    private static readonly float[] Mean = [0.48145466f, 0.4578275f, 0.40821073f];
    private static readonly float[] Std = [0.26862954f, 0.26130258f, 0.27577711f];

    /// <summary>One image's <c>pixel_values</c> ((MaxCrops + 1) × 3 × 336 × 336), its HD size and its image-token count.</summary>
    public static Phi3ProcessedImage Process(RgbImage image)
    {
        var (width, height) = (image.Width, image.Height);
        var ratio = width >= height ? (double)width / height : (double)height / width;
        var scale = 1;
        while (scale * Math.Ceiling(scale / ratio) <= MaxCrops)
        {
            scale++;
        }

        scale--;
        long newW = scale * CropSize;
        var newH = (long)(newW / ratio);
        if (width < height)
        {
            (newW, newH) = (newH, newW);
        }

        var source = new float[image.Pixels.Length];
        for (var i = 0; i < source.Length; i++)
        {
            source[i] = image.Pixels[i];
        }

        var resized = Resampler.Resize(source, width, height, 3, (int)newW, (int)newH, Resampler.Filter.Bilinear);
        var (hdW, hdH) = width < height ? (PadTarget((int)newW), (int)newH) : ((int)newW, PadTarget((int)newH));
        var left = (hdW - (int)newW) / 2;
        var top = (hdH - (int)newH) / 2;

        // Channel-first, normalised HD picture; padding is white (255) before normalising, as in the extension.
        var plane = hdW * hdH;
        var hd = new float[3 * plane];
        for (var c = 0; c < 3; c++)
        {
            var white = ((255f / 255f) - Mean[c]) / Std[c];
            Array.Fill(hd, white, c * plane, plane);
        }

        // A resized value rounds to a byte, so each channel's normalised values are a table of 256.
        var normalised = new float[3 * 256];
        for (var c = 0; c < 3; c++)
        {
            for (var v = 0; v < 256; v++)
            {
                normalised[(c * 256) + v] = ((v / 255f) - Mean[c]) / Std[c];
            }
        }

        for (var y = 0; y < newH; y++)
        {
            var row = resized.AsSpan((int)(y * newW * 3), (int)(newW * 3));
            for (var c = 0; c < 3; c++)
            {
                var into = hd.AsSpan((c * plane) + ((y + top) * hdW) + left, (int)newW);
                var table = normalised.AsSpan(c * 256, 256);
                for (var x = 0; x < into.Length; x++)
                {
                    into[x] = table[(int)Math.Clamp(MathF.Round(row[(3 * x) + c]), 0f, 255f)];
                }
            }
        }

        var crop = CropSize * CropSize;
        var pixels = new float[(MaxCrops + 1) * 3 * crop];
        for (var c = 0; c < 3; c++)
        {
            var global = Resampler.Resize(hd.AsSpan(c * plane, plane), hdW, hdH, 1, CropSize, CropSize, Resampler.Filter.Bicubic);
            global.CopyTo(pixels, c * crop);
        }

        var rows = hdH / CropSize;
        var columns = hdW / CropSize;
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                var at = (1 + (i * columns) + j) * 3 * crop;
                for (var c = 0; c < 3; c++)
                {
                    for (var y = 0; y < CropSize; y++)
                    {
                        hd.AsSpan((c * plane) + (((i * CropSize) + y) * hdW) + (j * CropSize), CropSize)
                            .CopyTo(pixels.AsSpan(at + (c * crop) + (y * CropSize), CropSize));
                    }
                }
            }
        }

        var tokens = (((rows * columns) + 1) * 144) + 1 + ((rows + 1) * 12);
        return new Phi3ProcessedImage(pixels, hdH, hdW, tokens);
    }

    private static int PadTarget(int size) => (int)Math.Ceiling(size / (double)CropSize) * CropSize;
}
