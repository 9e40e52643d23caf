using InferenceServer.ModelForge.Decoder;
using InferenceServer.ModelForge.Diffusion;
using Onnx;

namespace InferenceServer.ModelForge.Video;

/// <summary>
/// A tiny causal 3-D VAE decoder with the export's I/O: <c>latent_sample</c> [batch, 16, F, h, w] →
/// <c>sample</c> [batch, 3, 4(F−1)+1, 8h, 8w] in [−1, 1], as Wan's: the first latent frame gives one frame, every later
/// one four. A transposed 3-D convolution (stride 4×8×8) whose four temporal taps paint a stripe pattern shifted two
/// pixels per tap, so frames within a latent frame move, and the latents themselves change from frame to frame.
/// </summary>
internal static class WanVaeDecoderGraph
{
    public static ModelProto Build()
    {
        const int C = WanForgeSpec.LatentChannels;
        var g = new OnnxGraphBuilder();
        g.Input("latent_sample", TensorProto.Types.DataType.Float, "batch", C, "latent_frames", "latent_height", "latent_width");
        g.Output("sample", TensorProto.Types.DataType.Float, "batch", 3, "frames", "height", "width");
        var weight = new float[C * 3 * 4 * 64];
        for (int c = 0; c < C; c++)
        {
            for (int o = 0; o < 3; o++)
            {
                for (int k = 0; k < 4; k++)
                {
                    for (int y = 0; y < 8; y++)
                    {
                        for (int x = 0; x < 8; x++)
                        {
                            float stripe = MathF.Cos(2 * MathF.PI * (x + y + (2 * k)) / 8f);
                            float value = c < 3
                                ? (c == o ? 0.5f + (0.25f * stripe) : 0f)
                                : 0.08f * stripe * MathF.Sin((c + 1) * (o + 1) * 0.7f);
                            weight[(((((c * 3) + o) * 4) + k) * 64) + (y * 8) + x] = value;
                        }
                    }
                }
            }
        }

        g.Floats("decoder.weight", weight, C, 3, 4, 8, 8);
        g.Node("upsample", "ConvTranspose", ["latent_sample", "decoder.weight"], ["upsampled"], "",
            ForgeOnnx.Ints("strides", 4, 8, 8), ForgeOnnx.Ints("kernel_shape", 4, 8, 8));
        g.Node("causal", "Slice", ["upsampled", g.Int64s("slice_start", [3L], 1), g.Int64s("slice_end", [long.MaxValue], 1), g.Int64s("slice_axes", [2L], 1)], ["causal_out"]);
        g.Node("range", "Tanh", ["causal_out"], ["sample"]);
        return ForgeOnnx.Model(g);
    }
}
