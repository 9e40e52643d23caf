using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Images;

/// <summary>Between pixels and latents: the VAE decoder and encoder, and the mask in latent resolution.</summary>
public sealed partial class DiffusionPipeline
{
    private RgbImage Decode(float[] latents, int h, int w, RunOptions runOptions)
    {
        var scaled = new float[latents.Length];
        for (int i = 0; i < latents.Length; i++)
        {
            scaled[i] = latents[i] / ScalingFactor;
        }

        using var input = OrtValue.CreateTensorValueFromMemory(scaled, [1, LatentChannels, h, w]);
        using var results = _vaeDecoder.Run(runOptions, [_vaeDecoder.InputNames[0]], [input], [_vaeDecoder.OutputNames[0]]);
        var shape = results[0].GetTensorTypeAndShape().Shape;
        int height = (int)shape[2];
        int width = (int)shape[3];
        var planar = results[0].GetTensorDataAsSpan<float>();
        int plane = height * width;
        var pixels = new byte[plane * 3];
        for (int c = 0; c < 3; c++)
        {
            for (int p = 0; p < plane; p++)
            {
                float v = ((planar[(c * plane) + p] / 2f) + 0.5f) * 255f;
                pixels[(p * 3) + c] = (byte)Math.Clamp(MathF.Round(v), 0f, 255f);
            }
        }

        return new RgbImage(width, height, pixels);
    }

    /// <summary>Pixels as [3, H, W] in [-1, 1]; where <paramref name="blank"/> is over 0.5 the pixel is 0 (grey).</summary>
    private static float[] ToPlanar(RgbImage image, float[]? blank)
    {
        int plane = image.Width * image.Height;
        var planar = new float[3 * plane];
        for (int p = 0; p < plane; p++)
        {
            bool masked = blank is not null && blank[p] > 0.5f;
            for (int c = 0; c < 3; c++)
            {
                planar[(c * plane) + p] = masked ? 0f : (image.Pixels[(p * 3) + c] / 127.5f) - 1f;
            }
        }

        return planar;
    }

    private float[] EncodeImage(float[] planar, int height, int width, RunOptions runOptions)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(planar, [1, 3, height, width]);
        using var results = _vaeEncoder!.Run(runOptions, [_vaeEncoder.InputNames[0]], [input], [_vaeEncoder.OutputNames[0]]);
        var latents = results[0].GetTensorDataAsSpan<float>().ToArray();
        for (int i = 0; i < latents.Length; i++)
        {
            latents[i] *= ScalingFactor;
        }

        return latents;
    }

    /// <summary>The per-pixel mask averaged over each 8×8 block: one weight per latent cell (1 = repaint).</summary>
    private static float[] LatentMask(float[] mask, int width, int w, int h)
    {
        var result = new float[w * h];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                float sum = 0;
                for (int dy = 0; dy < 8; dy++)
                {
                    for (int dx = 0; dx < 8; dx++)
                    {
                        sum += mask[(((y * 8) + dy) * width) + (x * 8) + dx];
                    }
                }

                result[(y * w) + x] = sum / 64f;
            }
        }

        return result;
    }

    /// <summary>An inpainting UNet's extra input channels: the latent mask, then the latents of the image with the mask blanked.</summary>
    private float[] InpaintingChannels(ImageGenerationRequest request, float[]? mask, int h, int w, RunOptions runOptions)
    {
        int plane = h * w;
        var extra = new float[(1 + LatentChannels) * plane];
        if (request.InitImage is null)
        {
            Array.Fill(extra, 1f, 0, plane);
            return extra;
        }

        mask ??= Enumerable.Repeat(1f, plane).ToArray();
        mask.CopyTo(extra, 0);
        var masked = EncodeImage(ToPlanar(request.InitImage, request.Mask), request.Height, request.Width, runOptions);
        masked.CopyTo(extra, plane);
        return extra;
    }
}
