using InferenceServer.Engine.Images;
using Microsoft.ML.OnnxRuntime;

namespace InferenceServer.Engine.Videos;

/// <summary>
/// Image-to-video conditioning as WanImageToVideoPipeline (Wan 2.1) builds it: the CLIP image encoder's hidden states
/// go to the transformer as <c>encoder_hidden_states_image</c>; the reference as the first of F frames (the rest
/// zeros) through the VAE encoder (its mean), normalised by latents_mean/std, after a 4-channel mask that is 1 on the
/// first latent frame; each step the transformer sees [latents, mask, condition] on the channel axis.
/// </summary>
public sealed partial class VideoPipeline
{
    private const int MaskChannels = 4;

    /// <summary>The transformer's extra inputs for one I2V run (null for text-to-video).</summary>
    private sealed record ImageCondition(float[] Channels, float[] Embeds, long[] EmbedsShape);

    private ImageCondition? Condition(VideoGenerationRequest request, int latentFrames, int h, int w, RunOptions runOptions)
    {
        if (!SupportsImageInput)
        {
            return request.Image is null ? null : throw new ArgumentException($"{Folder} is a text-to-video export; it takes no image.", nameof(request));
        }

        var image = request.Image ?? throw new ArgumentException($"{Folder} is an image-to-video export; it needs an image.", nameof(request));
        var (embeds, embedsShape) = EncodeReference(image, runOptions);
        var latent = EncodeFirstFrame(image, request.Width, request.Height, request.Frames, runOptions);
        int plane = latentFrames * h * w;
        var channels = new float[(MaskChannels + LatentChannels) * plane];
        for (int m = 0; m < MaskChannels; m++) // the mask: 1 on latent frame 0 of each of its four channels, 0 after
        {
            Array.Fill(channels, 1f, m * plane, h * w);
        }

        for (int c = 0; c < LatentChannels; c++)
        {
            float std = _latentsStd[c];
            float mean = _latentsMean[c];
            for (int i = 0; i < plane; i++)
            {
                channels[((MaskChannels + c) * plane) + i] = (latent[(c * plane) + i] - mean) / std;
            }
        }

        return new ImageCondition(channels, embeds, embedsShape);
    }

    /// <summary>encode_image: the image encoder on CLIP's view of the picture (its first output, Wan's hidden_states[-2]).</summary>
    private (float[] Embeds, long[] Shape) EncodeReference(RgbImage image, RunOptions runOptions)
    {
        var pixels = _imageProcessor.ForImageEncoder(image);
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [1, 3, _imageProcessor.CropHeight, _imageProcessor.CropWidth]);
        using var results = _imageEncoder!.Run(runOptions, [_imageEncoder.InputNames[0]], [input], [_imageEncoderOutput]);
        return (results[0].GetTensorDataAsSpan<float>().ToArray(), results[0].GetTensorTypeAndShape().Shape);
    }

    /// <summary>The VAE encoder over [image, zeros × (F − 1)]; a 2z-channel output (mean, log-variance) gives its mean.</summary>
    private float[] EncodeFirstFrame(RgbImage image, int width, int height, int frames, RunOptions runOptions)
    {
        var first = VideoImageProcessor.ForVae(image, width, height);
        int plane = width * height;
        var video = new float[3 * frames * plane];
        for (int c = 0; c < 3; c++)
        {
            first.AsSpan(c * plane, plane).CopyTo(video.AsSpan(c * frames * plane));
        }

        using var input = OrtValue.CreateTensorValueFromMemory(video, [1, 3, frames, height, width]);
        using var results = _vaeEncoder!.Run(runOptions, [_vaeEncoder.InputNames[0]], [input], [_vaeEncoder.OutputNames[0]]);
        var shape = results[0].GetTensorTypeAndShape().Shape;
        var data = results[0].GetTensorDataAsSpan<float>();
        int perChannel = (int)(shape[2] * shape[3] * shape[4]);
        if (shape[1] != LatentChannels && shape[1] != 2 * LatentChannels)
        {
            throw new InvalidOperationException($"{Folder}/vae_encoder/model.onnx gave {shape[1]} channels; expected {LatentChannels} or {2 * LatentChannels} (mean and log-variance).");
        }

        return data[..(LatentChannels * perChannel)].ToArray();
    }
}
