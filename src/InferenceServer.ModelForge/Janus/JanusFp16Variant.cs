using Google.Protobuf;
using Onnx;

namespace InferenceServer.ModelForge.Janus;

/// <summary>
/// The <c>fp16</c> variant of a forge Janus folder, as onnx-community's exports name it (<c>onnx/{graph}_fp16.onnx</c>):
/// every float32 input and output of the six graphs becomes float16, behind a Cast at the edge, while the weights and
/// the arithmetic inside stay float32 (the CPU has few float16 kernels). What it tests is the server's side of
/// float16 graphs: pixels, image rows, KV, hidden states, logits and pictures crossing in half precision.
/// </summary>
public static class JanusFp16Variant
{
    public const string Suffix = "fp16";

    private static readonly string[] Graphs = ["prepare_inputs_embeds", "language_model", "lm_head", "gen_img_embeds", "gen_head", "image_decode"];

    /// <summary>Writes <c>onnx/{graph}_fp16.onnx</c> beside each graph of the float32 folder <paramref name="folder"/>.</summary>
    public static void Write(string folder)
    {
        foreach (var graph in Graphs)
        {
            var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(folder, "onnx", $"{graph}.onnx")));
            File.WriteAllBytes(Path.Combine(folder, "onnx", $"{graph}_{Suffix}.onnx"), Fp16Edges.Apply(model).ToByteArray());
        }
    }
}
