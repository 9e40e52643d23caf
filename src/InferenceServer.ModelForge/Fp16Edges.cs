using Google.Protobuf;
using Onnx;
using static InferenceServer.ModelForge.Decoder.OnnxGraphBuilder;

namespace InferenceServer.ModelForge;

/// <summary>
/// Turns a forge graph into the shape of a GPU (float16) export at its edges: every float32 graph input and output
/// becomes float16 behind a Cast, while the weights and the arithmetic inside stay float32 (the CPU has few float16
/// kernels). What it tests is a server's side of float16 graphs, not float16 arithmetic.
/// </summary>
public static class Fp16Edges
{
    /// <summary>Rewrites the graph file at <paramref name="path"/> in place.</summary>
    public static void Rewrite(string path) =>
        File.WriteAllBytes(path, Apply(ModelProto.Parser.ParseFrom(File.ReadAllBytes(path))).ToByteArray());

    /// <summary>The model with its float32 graph inputs and outputs in float16, cast at the edge.</summary>
    public static ModelProto Apply(ModelProto model)
    {
        const int f32 = (int)TensorProto.Types.DataType.Float;
        const int f16 = (int)TensorProto.Types.DataType.Float16;
        var g = model.Graph;
        var initializers = g.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var first = new List<NodeProto>();
        var last = new List<NodeProto>();
        foreach (var input in g.Input.Where(i => i.Type.TensorType.ElemType == f32 && !initializers.Contains(i.Name)))
        {
            var inner = input.Name + "_f32";
            Rename(g, input.Name, inner, outputs: false);
            input.Type.TensorType.ElemType = f16;
            first.Add(Cast(input.Name, inner, f32));
        }

        foreach (var output in g.Output.Where(o => o.Type.TensorType.ElemType == f32))
        {
            var inner = output.Name + "_f32";
            Rename(g, output.Name, inner, outputs: true);
            output.Type.TensorType.ElemType = f16;
            last.Add(Cast(inner, output.Name, f16));
        }

        var nodes = first.Concat(g.Node).Concat(last).ToList();
        g.Node.Clear();
        g.Node.AddRange(nodes);
        return model;
    }

    private static void Rename(GraphProto g, string from, string to, bool outputs)
    {
        foreach (var node in g.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == from)
                {
                    node.Input[i] = to;
                }
            }

            for (var i = 0; outputs && i < node.Output.Count; i++)
            {
                if (node.Output[i] == from)
                {
                    node.Output[i] = to;
                }
            }
        }

        foreach (var info in g.ValueInfo.Where(v => v.Name == from))
        {
            info.Name = to;
        }
    }

    private static NodeProto Cast(string from, string to, int type) =>
        new() { Name = $"/edge/Cast_{to}", OpType = "Cast", Input = { from }, Output = { to }, Attribute = { Int("to", type) } };
}
