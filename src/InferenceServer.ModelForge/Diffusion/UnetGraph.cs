using InferenceServer.ModelForge.Decoder;
using Onnx;

namespace InferenceServer.ModelForge.Diffusion;

/// <summary>
/// A tiny UNet stand-in with the diffusers export's I/O (<c>sample</c>, <c>timestep</c>, <c>encoder_hidden_states</c>
/// → <c>out_sample</c>). Both conditionings are used: the mean text state and a sinusoidal timestep embedding become a
/// per-channel bias between two 3×3 convolutions; the noise estimate is the input plus a small learned residual.
/// </summary>
internal static class UnetGraph
{
    public static ModelProto Build(ForgeDiffusionSpec spec, ForgeWeights weights)
    {
        const int C = ForgeDiffusionSpec.LatentChannels;
        int h = spec.UnetHidden;
        const int D = ForgeDiffusionSpec.TextDim;
        var f32 = TensorProto.Types.DataType.Float;
        var g = new OnnxGraphBuilder();
        g.Input("sample", f32, "batch", C, "height", "width");
        g.Input("timestep", spec.Int64Timestep ? TensorProto.Types.DataType.Int64 : f32, "steps");
        g.Input("encoder_hidden_states", f32, "batch", ForgeDiffusionSpec.TextLength, D);
        g.Output("out_sample", f32, "batch", C, "height", "width");

        g.Int64s("axis_1", [1], 1);
        g.Int64s("axes_2_3", [2, 3], 2);
        g.Floats("text_projection", weights.Normal(D * h, 1f / MathF.Sqrt(D)), D, h);
        g.Floats("time_frequencies", Frequencies(h), 1, h);
        g.Floats("conv_in.weight", weights.Normal(h * C * 9, 1f / MathF.Sqrt(C * 9)), h, C, 3, 3);
        g.Floats("conv_in.bias", weights.Normal(h, 0.1f), h);
        g.Floats("conv_out.weight", weights.Normal(C * h * 9, 1f / MathF.Sqrt(h * 9)), C, h, 3, 3);
        g.Floats("residual_scale", [0.05f]);

        g.Node("text_mean", "ReduceMean", ["encoder_hidden_states", "axis_1"], ["text_mean"], "", OnnxGraphBuilder.Int("keepdims", 0));
        g.Node("text_project", "MatMul", ["text_mean", "text_projection"], ["text_bias"]);
        string time = "timestep";
        if (spec.Int64Timestep)
        {
            g.Node("time_cast", "Cast", ["timestep"], ["timestep_float"], "", OnnxGraphBuilder.Int("to", (long)TensorProto.Types.DataType.Float));
            time = "timestep_float";
        }

        g.Node("time_unsqueeze", "Unsqueeze", [time, "axis_1"], ["time_column"]);
        g.Node("time_scale", "Mul", ["time_column", "time_frequencies"], ["time_angles"]);
        g.Node("time_sin", "Sin", ["time_angles"], ["time_bias"]);
        g.Node("condition", "Add", ["text_bias", "time_bias"], ["condition"]);
        g.Node("condition_unsqueeze", "Unsqueeze", ["condition", "axes_2_3"], ["condition_map"]);
        g.Node("conv_in", "Conv", ["sample", "conv_in.weight", "conv_in.bias"], ["features"], "", ForgeOnnx.Ints("pads", 1, 1, 1, 1));
        g.Node("conditioned", "Add", ["features", "condition_map"], ["conditioned"]);
        g.Node("activation", "Tanh", ["conditioned"], ["activated"]);
        var features = "activated";
        for (int i = 0; i < spec.UnetMidBlocks; i++)
        {
            // Written after the demo's weights, so the default spec's bytes do not change.
            g.Floats($"mid{i}.weight", weights.Normal(h * h * 9, 1f / MathF.Sqrt(h * 9)), h, h, 3, 3);
            g.Node($"mid{i}", "Conv", [features, $"mid{i}.weight"], [$"mid{i}_out"], "", ForgeOnnx.Ints("pads", 1, 1, 1, 1));
            g.Node($"mid{i}_activation", "Tanh", [$"mid{i}_out"], [$"mid{i}_activated"]);
            features = $"mid{i}_activated";
        }

        g.Node("conv_out", "Conv", [features, "conv_out.weight"], ["residual"], "", ForgeOnnx.Ints("pads", 1, 1, 1, 1));
        g.Node("residual_scale", "Mul", ["residual", "residual_scale"], ["scaled_residual"]);
        g.Node("out", "Add", ["sample", "scaled_residual"], ["out_sample"]);
        return ForgeOnnx.Model(g);
    }

    private static float[] Frequencies(int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = MathF.Pow(10000f, -(float)i / count);
        }

        return values;
    }
}
