using System.Text.Json;
using InferenceServer.Engine.Images;
using InferenceServer.Engine.Models;
using InferenceServer.Engine.Vision;

namespace InferenceServer.Engine.Videos;

/// <summary>
/// The two views of an image-to-video reference that diffusers' WanImageToVideoPipeline makes: CLIPImageProcessor's
/// for the image encoder (shortest edge to <c>size</c>, bicubic, centre crop, /255, per-channel mean/std from
/// <c>image_processor/preprocessor_config.json</c>) and the video processor's for the VAE (stretched to the video's
/// size, [−1, 1]). Planes are [3, H, W].
/// </summary>
public sealed record VideoImageProcessor(int ShortestEdge, int CropHeight, int CropWidth, float[] Mean, float[] Std)
{
    /// <summary>CLIP ViT-H/14's defaults, which Wan 2.1 I2V ships.</summary>
    public static VideoImageProcessor Default { get; } = new(224, 224, 224, [0.48145466f, 0.4578275f, 0.40821073f], [0.26862954f, 0.26130258f, 0.27577711f]);

    public static VideoImageProcessor Load(string folder)
    {
        var path = Path.Combine(folder, "image_processor", "preprocessor_config.json");
        if (!File.Exists(path))
        {
            return Default;
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var r = doc.RootElement;
            var d = Default;
            int edge = r.TryGetProperty("size", out var s) && s.TryGetProperty("shortest_edge", out var e) ? e.GetInt32() : d.ShortestEdge;
            int ch = r.TryGetProperty("crop_size", out var c) && c.TryGetProperty("height", out var h) ? h.GetInt32() : edge;
            int cw = r.TryGetProperty("crop_size", out c) && c.TryGetProperty("width", out var w) ? w.GetInt32() : edge;
            float[] mean = r.TryGetProperty("image_mean", out var m) ? [.. m.EnumerateArray().Select(v => (float)v.GetDouble())] : d.Mean;
            float[] std = r.TryGetProperty("image_std", out var sd) ? [.. sd.EnumerateArray().Select(v => (float)v.GetDouble())] : d.Std;
            if (mean.Length != 3 || std.Length != 3 || edge < 1 || ch < 1 || cw < 1)
            {
                throw new ModelLoadException($"{path} needs three image_mean and image_std values and positive sizes.");
            }

            return new VideoImageProcessor(edge, ch, cw, mean, std);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new ModelLoadException($"{path} is not a readable CLIPImageProcessor config: {e.Message}", e);
        }
    }

    /// <summary>CLIPImageProcessor: resize (shortest edge), centre crop, rescale, normalise.</summary>
    public float[] ForImageEncoder(RgbImage image)
    {
        double scale = (double)ShortestEdge / Math.Min(image.Width, image.Height);
        int w = Math.Max(CropWidth, (int)(image.Width * scale));
        int h = Math.Max(CropHeight, (int)(image.Height * scale));
        if (image.Width <= image.Height)
        {
            w = ShortestEdge;
        }
        else
        {
            h = ShortestEdge;
        }

        var resized = Resize(image, w, h);
        int top = (h - CropHeight) / 2;
        int left = (w - CropWidth) / 2;
        int plane = CropWidth * CropHeight;
        var planar = new float[3 * plane];
        for (int y = 0; y < CropHeight; y++)
        {
            for (int x = 0; x < CropWidth; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    float v = resized[((((top + y) * w) + left + x) * 3) + c] / 255f;
                    planar[(c * plane) + (y * CropWidth) + x] = (v - Mean[c]) / Std[c];
                }
            }
        }

        return planar;
    }

    /// <summary>The video processor: the picture stretched to the video's size, in [−1, 1].</summary>
    public static float[] ForVae(RgbImage image, int width, int height)
    {
        var resized = Resize(image, width, height);
        int plane = width * height;
        var planar = new float[3 * plane];
        for (int p = 0; p < plane; p++)
        {
            for (int c = 0; c < 3; c++)
            {
                planar[(c * plane) + p] = (resized[(p * 3) + c] / 127.5f) - 1f;
            }
        }

        return planar;
    }

    /// <summary>Bicubic like Pillow, rounded back to bytes as PIL images are.</summary>
    private static float[] Resize(RgbImage image, int width, int height)
    {
        var source = new float[image.Pixels.Length];
        for (int i = 0; i < source.Length; i++)
        {
            source[i] = image.Pixels[i];
        }

        if (image.Width == width && image.Height == height)
        {
            return source;
        }

        var resized = Resampler.Resize(source, image.Width, image.Height, 3, width, height, Resampler.Filter.Bicubic);
        for (int i = 0; i < resized.Length; i++)
        {
            resized[i] = Math.Clamp(MathF.Round(resized[i]), 0f, 255f);
        }

        return resized;
    }
}
