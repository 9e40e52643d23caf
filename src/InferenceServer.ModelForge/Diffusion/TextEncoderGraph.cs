using InferenceServer.ModelForge.Decoder;
using Onnx;

namespace InferenceServer.ModelForge.Diffusion;

/// <summary>
/// A tiny CLIP-text-encoder stand-in with the diffusers export's I/O: <c>input_ids</c> int32 [batch, 77] →
/// <c>last_hidden_state</c> [batch, 77, D]. Token + position embedding, tanh, one projection.
/// </summary>
internal static class TextEncoderGraph
{
    public static ModelProto Build(int vocabSize, ForgeWeights weights)
    {
        const int L = ForgeDiffusionSpec.TextLength;
        const int D = ForgeDiffusionSpec.TextDim;
        var g = new OnnxGraphBuilder();
        g.Input("input_ids", TensorProto.Types.DataType.Int32, "batch", L);
        g.Output("last_hidden_state", TensorProto.Types.DataType.Float, "batch", L, D);
        g.Floats("token_embedding", weights.Normal(vocabSize * D, 1f), vocabSize, D);
        g.Floats("position_embedding", weights.Normal(L * D, 0.5f), L, D);
        g.Floats("projection", weights.Normal(D * D, 1f / MathF.Sqrt(D)), D, D);
        g.Node("embed", "Gather", ["token_embedding", "input_ids"], ["embedded"]);
        g.Node("position", "Add", ["embedded", "position_embedding"], ["positioned"]);
        g.Node("activation", "Tanh", ["positioned"], ["activated"]);
        g.Node("project", "MatMul", ["activated", "projection"], ["last_hidden_state"]);
        return ForgeOnnx.Model(g);
    }
}
