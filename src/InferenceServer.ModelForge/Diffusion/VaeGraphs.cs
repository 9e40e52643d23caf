using InferenceServer.ModelForge.Decoder;
using Onnx;

namespace InferenceServer.ModelForge.Diffusion;

/// <summary>
/// Tiny VAE halves with the diffusers export's I/O. The encoder averages each 8×8 block of RGB into latent channels
/// 0–2 (channel 3 stays 0); the decoder upsamples ×8 with a transposed convolution that copies channels 0–2 back and
/// paints channel 3 as a texture. Decoding an encoded image gives its block average, so inpainting keeps what it should.
/// </summary>
internal static class VaeGraphs
{
    private const int C = ForgeDiffusionSpec.LatentChannels;
    private const float Sf = ForgeDiffusionSpec.ScalingFactor;

    public static ModelProto Decoder()
    {
        var g = new OnnxGraphBuilder();
        g.Input("latent_sample", TensorProto.Types.DataType.Float, "batch", C, "latent_height", "latent_width");
        g.Output("sample", TensorProto.Types.DataType.Float, "batch", 3, "height", "width");
        var weight = new float[C * 3 * 64];
        for (int o = 0; o < 3; o++)
        {
            for (int k = 0; k < 64; k++)
            {
                weight[(((o * 3) + o) * 64) + k] = Sf;
                weight[(((3 * 3) + o) * 64) + k] = Sf * 0.3f * MathF.Sin(((k / 8) + 1) * ((k % 8) + 1) * (o + 1) * 0.37f);
            }
        }

        g.Floats("upsample.weight", weight, C, 3, 8, 8);
        g.Node("upsample", "ConvTranspose", ["latent_sample", "upsample.weight"], ["sample"], "", ForgeOnnx.Ints("strides", 8, 8), ForgeOnnx.Ints("kernel_shape", 8, 8));
        return ForgeOnnx.Model(g);
    }

    public static ModelProto Encoder()
    {
        var g = new OnnxGraphBuilder();
        g.Input("sample", TensorProto.Types.DataType.Float, "batch", 3, "height", "width");
        g.Output("latent_sample", TensorProto.Types.DataType.Float, "batch", C, "latent_height", "latent_width");
        var weight = new float[C * 3 * 64];
        for (int c = 0; c < 3; c++)
        {
            for (int k = 0; k < 64; k++)
            {
                weight[(((c * 3) + c) * 64) + k] = 1f / (64f * Sf);
            }
        }

        g.Floats("downsample.weight", weight, C, 3, 8, 8);
        g.Node("downsample", "Conv", ["sample", "downsample.weight"], ["latent_sample"], "", ForgeOnnx.Ints("strides", 8, 8), ForgeOnnx.Ints("kernel_shape", 8, 8));
        return ForgeOnnx.Model(g);
    }
}
