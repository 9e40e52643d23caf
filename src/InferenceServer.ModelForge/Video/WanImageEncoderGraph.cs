using InferenceServer.ModelForge.Decoder;
using InferenceServer.ModelForge.Diffusion;
using Onnx;

namespace InferenceServer.ModelForge.Video;

/// <summary>
/// A tiny CLIP-vision stand-in: <c>pixel_values</c> [batch, 3, 224, 224] → <c>image_embeds</c> [batch, 49, ImageDim]
/// (Wan 2.1 I2V's is [batch, 257, 1280], CLIP's penultimate hidden states): 32×32 average patches, projected, tanh.
/// </summary>
internal static class WanImageEncoderGraph
{
    public static ModelProto Build(ForgeWeights weights)
    {
        const int E = WanForgeSpec.ImageDim;
        var g = new OnnxGraphBuilder();
        g.Input("pixel_values", TensorProto.Types.DataType.Float, "batch", 3, 224, 224);
        g.Output("image_embeds", TensorProto.Types.DataType.Float, "batch", 49, E);
        g.Floats("patch.weight", weights.Normal(3 * E, 1f), 3, E);
        g.Node("patches", "AveragePool", ["pixel_values"], ["pooled"], "", ForgeOnnx.Ints("kernel_shape", 32, 32), ForgeOnnx.Ints("strides", 32, 32));
        g.Node("flatten", "Reshape", ["pooled", g.Int64s("tokens_shape", [0L, 3, 49], 3)], ["flat"]);
        g.Node("tokens", "Transpose", ["flat"], ["tokens_out"], "", ForgeOnnx.Ints("perm", 0, 2, 1));
        g.Node("project", "MatMul", ["tokens_out", "patch.weight"], ["projected"]);
        g.Node("activation", "Tanh", ["projected"], ["image_embeds"]);
        return ForgeOnnx.Model(g);
    }
}
