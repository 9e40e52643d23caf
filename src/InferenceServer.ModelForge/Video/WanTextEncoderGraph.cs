using InferenceServer.ModelForge.Decoder;
using InferenceServer.ModelForge.Diffusion;
using Onnx;

namespace InferenceServer.ModelForge.Video;

/// <summary>
/// A tiny UMT5-encoder stand-in with the export's I/O: <c>input_ids</c> and <c>attention_mask</c> int64
/// [batch, sequence] → <c>last_hidden_state</c> [batch, sequence, D]. Token embedding, masked, tanh, one projection.
/// </summary>
internal static class WanTextEncoderGraph
{
    public static ModelProto Build(int vocabSize, ForgeWeights weights)
    {
        const int D = WanForgeSpec.TextDim;
        var g = new OnnxGraphBuilder();
        g.Input("input_ids", TensorProto.Types.DataType.Int64, "batch", "sequence_length");
        g.Input("attention_mask", TensorProto.Types.DataType.Int64, "batch", "sequence_length");
        g.Output("last_hidden_state", TensorProto.Types.DataType.Float, "batch", "sequence_length", D);
        g.Floats("shared.weight", weights.Normal(vocabSize * D, 1f), vocabSize, D);
        g.Floats("projection", weights.Normal(D * D, 1f / MathF.Sqrt(D)), D, D);
        g.Node("embed", "Gather", ["shared.weight", "input_ids"], ["embedded"]);
        g.Node("mask_float", "Cast", ["attention_mask"], ["mask"], "", OnnxGraphBuilder.Int("to", (long)TensorProto.Types.DataType.Float));
        g.Node("mask_unsqueeze", "Unsqueeze", ["mask", g.Int64s("mask_axes", [2L], 1)], ["mask3"]);
        g.Node("apply_mask", "Mul", ["embedded", "mask3"], ["masked"]);
        g.Node("activation", "Tanh", ["masked"], ["activated"]);
        g.Node("project", "MatMul", ["activated", "projection"], ["last_hidden_state"]);
        return ForgeOnnx.Model(g);
    }
}
