using InferenceServer.ModelForge.Decoder;
using InferenceServer.ModelForge.Diffusion;
using Onnx;

namespace InferenceServer.ModelForge.Video;

/// <summary>
/// A tiny stand-in for Wan's DiT with the export's I/O: <c>hidden_states</c> [batch, 16, frames, height, width],
/// <c>timestep</c> float [batch], <c>encoder_hidden_states</c> [batch, sequence, D] → <c>out_hidden_states</c> of the
/// latents' shape. It predicts a flow velocity <c>x − target</c>, the target a 3-D convolution of the latents (so
/// neighbouring frames are tied) plus a per-channel shift from the mean text embedding (so the prompt matters).
/// </summary>
internal static class WanTransformerGraph
{
    public static ModelProto Build(ForgeWeights weights)
    {
        const int C = WanForgeSpec.LatentChannels;
        const int D = WanForgeSpec.TextDim;
        var g = new OnnxGraphBuilder();
        g.Input("hidden_states", TensorProto.Types.DataType.Float, "batch", C, "num_frames", "height", "width");
        g.Input("timestep", TensorProto.Types.DataType.Float, "batch");
        g.Input("encoder_hidden_states", TensorProto.Types.DataType.Float, "batch", "sequence_length", D);
        g.Output("out_hidden_states", TensorProto.Types.DataType.Float, "batch", C, "num_frames", "height", "width");
        g.Floats("mix.weight", weights.Normal(C * C * 27, 0.6f / MathF.Sqrt(C * 27)), C, C, 3, 3, 3);
        g.Floats("text.weight", weights.Normal(D * C, 1.5f / MathF.Sqrt(D)), D, C);
        g.Int64s("shape5", [0L, C, 1, 1, 1], 5);
        g.Int64s("shape_t", [-1L, 1, 1, 1, 1], 5);
        g.Floats("per_mille", [0.001f]);
        g.Floats("half", [0.5f]);
        g.Node("mix", "Conv", ["hidden_states", "mix.weight"], ["mixed"], "", ForgeOnnx.Ints("kernel_shape", 3, 3, 3), ForgeOnnx.Ints("pads", 1, 1, 1, 1, 1, 1));
        g.Node("mix_act", "Tanh", ["mixed"], ["mixed_act"]);
        g.Node("text_mean", "ReduceMean", ["encoder_hidden_states", g.Int64s("text_axes", [1L], 1)], ["text_mean_out"], "", OnnxGraphBuilder.Int("keepdims", 0));
        g.Node("text_proj", "MatMul", ["text_mean_out", "text.weight"], ["text_bias"]);
        g.Node("text_reshape", "Reshape", ["text_bias", "shape5"], ["text_bias5"]);
        g.Node("target", "Add", ["mixed_act", "text_bias5"], ["target_out"]);
        g.Node("t_scale", "Mul", ["timestep", "per_mille"], ["t01"]);
        g.Node("t_half", "Mul", ["t01", "half"], ["t_half_out"]);
        g.Node("t_reshape", "Reshape", ["t_half_out", "shape_t"], ["t5"]);
        g.Node("t_mod", "Mul", ["target_out", "t5"], ["target_t"]);
        g.Node("target_sum", "Add", ["target_out", "target_t"], ["target_final"]);
        g.Node("velocity", "Sub", ["hidden_states", "target_final"], ["out_hidden_states"]);
        return ForgeOnnx.Model(g);
    }
}
