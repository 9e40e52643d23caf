using InferenceServer.Engine.Images;
using InferenceServer.Engine.Vision;

namespace InferenceServer.Engine.Janus;

/// <summary>
/// Janus's <c>VLMImageProcessor</c>: the picture is scaled (bicubic) so its longer side is the image size (the shorter
/// at least 14 pixels), padded to a square with the background colour, centred, then rescaled to 0..1 and normalised
/// per channel; the result is channel-first, <c>3 × size × size</c>.
/// </summary>
internal static class JanusImageProcessor
{
    private const int MinSize = 14;

    public static float[] Process(RgbImage image, JanusConfig config)
    {
        var size = config.ImageSize;
        var scale = size / (double)Math.Max(image.Width, image.Height);
        var width = Math.Clamp((int)Math.Round(image.Width * scale), MinSize, size);
        var height = Math.Clamp((int)Math.Round(image.Height * scale), MinSize, size);
        var source = new float[image.Pixels.Length];
        for (var i = 0; i < source.Length; i++)
        {
            source[i] = image.Pixels[i];
        }

        var resized = width == image.Width && height == image.Height
            ? source
            : Resampler.Resize(source, image.Width, image.Height, 3, width, height, Resampler.Filter.Bicubic);
        var left = (size - width) / 2;
        var top = (size - height) / 2;
        var plane = size * size;
        var pixels = new float[3 * plane];
        for (var c = 0; c < 3; c++)
        {
            Array.Fill(pixels, Normalise(config.Background[c], c, config), c * plane, plane);
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var value = Math.Clamp(MathF.Round(resized[(((y * width) + x) * 3) + c]), 0f, 255f);
                    pixels[(c * plane) + ((y + top) * size) + x + left] = Normalise(value, c, config);
                }
            }
        }

        return pixels;
    }

    private static float Normalise(float value, int channel, JanusConfig config) =>
        ((value * config.RescaleFactor) - config.Mean[channel]) / config.Std[channel];
}
