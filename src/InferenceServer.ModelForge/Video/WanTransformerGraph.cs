using InferenceServer.ModelForge.Decoder;
using InferenceServer.ModelForge.Diffusion;
using Onnx;

namespace InferenceServer.ModelForge.Video;

/// <summary>
/// A tiny stand-in for Wan's DiT with the export's I/O: <c>hidden_states</c> [batch, 16, frames, height, width],
/// <c>timestep</c> float [batch], <c>encoder_hidden_states</c> [batch, sequence, D] → <c>out_hidden_states</c> of the
/// latents' shape. It predicts a flow velocity <c>x − target</c>, the target a 3-D convolution of the latents (so
/// neighbouring frames are tied) plus a per-channel shift from the mean text embedding (so the prompt matters).
/// The I2V variant (see <see cref="BuildImageToVideo"/>) also takes the mask, the reference's latents and the image
/// encoder's states, as Wan 2.1 I2V's transformer does.
/// </summary>
internal static class WanTransformerGraph
{
    private const int C = WanForgeSpec.LatentChannels;
    private const int D = WanForgeSpec.TextDim;

    /// <summary>The T2V stand-in; <paramref name="benchHidden"/> &gt; 0 adds two 3-D convolutions through that many channels, so the transformer dominates a run as a real DiT does (the benchmark's).</summary>
    public static ModelProto Build(ForgeWeights weights, int benchHidden = 0)
    {
        var g = new OnnxGraphBuilder();
        g.Input("hidden_states", TensorProto.Types.DataType.Float, "batch", C, "num_frames", "height", "width");
        g.Input("timestep", TensorProto.Types.DataType.Float, "batch");
        g.Input("encoder_hidden_states", TensorProto.Types.DataType.Float, "batch", "sequence_length", D);
        g.Output("out_hidden_states", TensorProto.Types.DataType.Float, "batch", C, "num_frames", "height", "width");
        var input = benchHidden > 0 ? Heavy(g, weights, benchHidden) : "hidden_states";
        var target = Target(g, weights, input, null);
        g.Node("velocity", "Sub", ["hidden_states", target], ["out_hidden_states"]);
        return ForgeOnnx.Model(g);
    }

    /// <summary>x + 0.1·conv(tanh(conv(x))) through <paramref name="hidden"/> channels (3×3×3 kernels).</summary>
    private static string Heavy(OnnxGraphBuilder g, ForgeWeights weights, int hidden)
    {
        var pads = ForgeOnnx.Ints("pads", 1, 1, 1, 1, 1, 1);
        var kernel = ForgeOnnx.Ints("kernel_shape", 3, 3, 3);
        g.Floats("heavy_in.weight", weights.Normal(hidden * C * 27, 1f / MathF.Sqrt(C * 27)), hidden, C, 3, 3, 3);
        g.Floats("heavy_out.weight", weights.Normal(C * hidden * 27, 0.1f / MathF.Sqrt(hidden * 27)), C, hidden, 3, 3, 3);
        g.Node("heavy_in", "Conv", ["hidden_states", "heavy_in.weight"], ["heavy_hidden"], "", kernel, pads);
        g.Node("heavy_act", "Tanh", ["heavy_hidden"], ["heavy_hidden_act"]);
        g.Node("heavy_out", "Conv", ["heavy_hidden_act", "heavy_out.weight"], ["heavy_delta"], "", ForgeOnnx.Ints("kernel_shape", 3, 3, 3), ForgeOnnx.Ints("pads", 1, 1, 1, 1, 1, 1));
        g.Node("heavy_residual", "Add", ["hidden_states", "heavy_delta"], ["heavy_x"]);
        return "heavy_x";
    }

    /// <summary>
    /// <c>hidden_states</c> [batch, 16 + 4 + 16, …] (latents, mask, reference latents) and
    /// <c>encoder_hidden_states_image</c> [batch, tokens, image dim]. Off the mask it is the T2V velocity with a shift
    /// from the mean image state; on it (the first latent frame) it is the exact flow towards the reference,
    /// (x − reference)/σ, so the first frame follows the picture.
    /// </summary>
    public static ModelProto BuildImageToVideo(ForgeWeights weights)
    {
        var g = new OnnxGraphBuilder();
        g.Input("hidden_states", TensorProto.Types.DataType.Float, "batch", (2 * C) + 4, "num_frames", "height", "width");
        g.Input("timestep", TensorProto.Types.DataType.Float, "batch");
        g.Input("encoder_hidden_states", TensorProto.Types.DataType.Float, "batch", "sequence_length", D);
        g.Input("encoder_hidden_states_image", TensorProto.Types.DataType.Float, "batch", "image_tokens", WanForgeSpec.ImageDim);
        g.Output("out_hidden_states", TensorProto.Types.DataType.Float, "batch", C, "num_frames", "height", "width");
        Slice(g, "x", 0, C);
        Slice(g, "mask", C, C + 1);
        Slice(g, "reference", C + 4, (2 * C) + 4);
        var target = Target(g, weights, "x", "encoder_hidden_states_image");
        g.Node("free_velocity", "Sub", ["x", target], ["v_free"]);
        g.Node("sigma_raw", "Mul", ["t01", g.Floats("one", [1f])], ["sigma_t"]);
        g.Node("sigma_floor", "Max", ["sigma_t", g.Floats("sigma_min", [0.001f])], ["sigma_safe"]);
        g.Node("sigma_reshape", "Reshape", ["sigma_safe", "shape_t"], ["sigma5"]);
        g.Node("to_reference", "Sub", ["x", "reference"], ["x_minus_ref"]);
        g.Node("reference_velocity", "Div", ["x_minus_ref", "sigma5"], ["v_ref"]);
        g.Node("blend_delta", "Sub", ["v_ref", "v_free"], ["v_delta"]);
        g.Node("blend_mask", "Mul", ["mask", "v_delta"], ["v_masked"]);
        g.Node("velocity", "Add", ["v_free", "v_masked"], ["out_hidden_states"]);
        return ForgeOnnx.Model(g);
    }

    private static void Slice(OnnxGraphBuilder g, string name, long start, long end) =>
        g.Node($"slice_{name}", "Slice", ["hidden_states", g.Int64s($"{name}_start", [start], 1), g.Int64s($"{name}_end", [end], 1), g.Int64s($"{name}_axes", [1L], 1)], [name]);

    /// <summary>tanh(conv(x)) + text shift (+ image shift), scaled by 1 + t/2000; also leaves t01 = t/1000 and shape_t.</summary>
    private static string Target(OnnxGraphBuilder g, ForgeWeights weights, string x, string? image)
    {
        g.Floats("mix.weight", weights.Normal(C * C * 27, 0.6f / MathF.Sqrt(C * 27)), C, C, 3, 3, 3);
        g.Floats("text.weight", weights.Normal(D * C, 1.5f / MathF.Sqrt(D)), D, C);
        g.Int64s("shape5", [0L, C, 1, 1, 1], 5);
        g.Int64s("shape_t", [-1L, 1, 1, 1, 1], 5);
        g.Floats("per_mille", [0.001f]);
        g.Floats("half", [0.5f]);
        g.Node("mix", "Conv", [x, "mix.weight"], ["mixed"], "", ForgeOnnx.Ints("kernel_shape", 3, 3, 3), ForgeOnnx.Ints("pads", 1, 1, 1, 1, 1, 1));
        g.Node("mix_act", "Tanh", ["mixed"], ["mixed_act"]);
        g.Node("text_mean", "ReduceMean", ["encoder_hidden_states", g.Int64s("text_axes", [1L], 1)], ["text_mean_out"], "", OnnxGraphBuilder.Int("keepdims", 0));
        g.Node("text_proj", "MatMul", ["text_mean_out", "text.weight"], ["text_bias"]);
        var bias = "text_bias";
        if (image is not null)
        {
            g.Floats("image.weight", weights.Normal(WanForgeSpec.ImageDim * C, 1f / MathF.Sqrt(WanForgeSpec.ImageDim)), WanForgeSpec.ImageDim, C);
            g.Node("image_mean", "ReduceMean", [image, "text_axes"], ["image_mean_out"], "", OnnxGraphBuilder.Int("keepdims", 0));
            g.Node("image_proj", "MatMul", ["image_mean_out", "image.weight"], ["image_bias"]);
            g.Node("bias_sum", "Add", ["text_bias", "image_bias"], ["cond_bias"]);
            bias = "cond_bias";
        }

        g.Node("text_reshape", "Reshape", [bias, "shape5"], ["text_bias5"]);
        g.Node("target", "Add", ["mixed_act", "text_bias5"], ["target_out"]);
        g.Node("t_scale", "Mul", ["timestep", "per_mille"], ["t01"]);
        g.Node("t_half", "Mul", ["t01", "half"], ["t_half_out"]);
        g.Node("t_reshape", "Reshape", ["t_half_out", "shape_t"], ["t5"]);
        g.Node("t_mod", "Mul", ["target_out", "t5"], ["target_t"]);
        g.Node("target_sum", "Add", ["target_out", "target_t"], ["target_final"]);
        return "target_final";
    }
}
