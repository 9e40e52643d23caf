using InferenceServer.ModelForge.Decoder;
using InferenceServer.ModelForge.Diffusion;
using Onnx;

namespace InferenceServer.ModelForge.Video;

/// <summary>
/// A tiny causal 3-D VAE encoder with the export's I/O: <c>sample</c> [batch, 3, F, H, W] in [−1, 1] →
/// <c>latent_parameters</c> [batch, 32, (F − 1)/4 + 1, H/8, W/8] (mean, then log-variance), as Wan's: the first frame
/// alone, then groups of four, each 8×8 block averaged. The mean's first three channels are 2·atanh(0.96·colour), the
/// inverse of the forge decoder's colour path, so a decoded frame keeps the picture's colour; the rest are 0.
/// </summary>
internal static class WanVaeEncoderGraph
{
    public static ModelProto Build()
    {
        const int C = WanForgeSpec.LatentChannels;
        var g = new OnnxGraphBuilder();
        g.Input("sample", TensorProto.Types.DataType.Float, "batch", 3, "frames", "height", "width");
        g.Output("latent_parameters", TensorProto.Types.DataType.Float, "batch", 2 * C, "latent_frames", "latent_height", "latent_width");
        var weight = new float[2 * C * 3];
        for (int o = 0; o < 3; o++)
        {
            weight[(o * 3) + o] = 1f;
        }

        g.Floats("project.weight", weight, 2 * C, 3, 1, 1, 1);
        g.Node("first", "Slice", ["sample", g.Int64s("first_start", [0L], 1), g.Int64s("first_end", [1L], 1), g.Int64s("time_axis", [2L], 1)], ["first_frame"]);
        g.Node("rest", "Slice", ["sample", g.Int64s("rest_start", [1L], 1), g.Int64s("rest_end", [long.MaxValue], 1), "time_axis"], ["rest_frames"]);
        g.Node("pool_first", "AveragePool", ["first_frame"], ["first_pooled"], "", ForgeOnnx.Ints("kernel_shape", 1, 8, 8), ForgeOnnx.Ints("strides", 1, 8, 8));
        g.Node("pool_rest", "AveragePool", ["rest_frames"], ["rest_pooled"], "", ForgeOnnx.Ints("kernel_shape", 4, 8, 8), ForgeOnnx.Ints("strides", 4, 8, 8));
        g.Node("causal", "Concat", ["first_pooled", "rest_pooled"], ["pooled"], "", OnnxGraphBuilder.Int("axis", 2));
        g.Node("squeeze", "Mul", ["pooled", g.Floats("squeeze_scale", [0.96f])], ["squeezed"]);
        g.Node("inverse", "Atanh", ["squeezed"], ["inverse_out"]);
        g.Node("double", "Mul", ["inverse_out", g.Floats("two", [2f])], ["colour"]);
        g.Node("project", "Conv", ["colour", "project.weight"], ["latent_parameters"], "", ForgeOnnx.Ints("kernel_shape", 1, 1, 1));
        return ForgeOnnx.Model(g);
    }
}
