using InferenceServer.ModelForge.Decoder;
using InferenceServer.ModelForge.Diffusion;
using Onnx;
using static InferenceServer.ModelForge.Decoder.OnnxGraphBuilder;

namespace InferenceServer.ModelForge.Janus;

/// <summary>
/// The image generation graphs of a forge Janus folder, with the inputs and outputs of onnx-community's Janus-Pro
/// export: <c>gen_img_embeds</c> (<c>image_ids</c> batch × T → <c>inputs_embeds</c> batch × T × hidden),
/// <c>gen_head</c> (<c>hidden_states</c> → <c>logits</c> over the image codebook) and <c>image_decode</c>
/// (<c>generated_tokens</c> batch × 576 → <c>decoded_image</c> batch × 3 × 384 × 384 in [−1, 1]). The forge codebook
/// is a palette: token k paints its 16 × 16 patch (of the 24 × 24 grid) in colour k, so a picture shows which tokens
/// were drawn. The head normalises the hidden state before its projection, so sampling at temperature 1 stays varied.
/// </summary>
internal static class JanusGenerationGraphs
{
    /// <summary>Image tokens in the forge codebook (the real one has 16384).</summary>
    public const int Codebook = 16;

    /// <summary>Pixels per side of a token's patch: 384 / 24.</summary>
    public const int Patch = 16;

    private const TensorProto.Types.DataType F32 = TensorProto.Types.DataType.Float;
    private const TensorProto.Types.DataType I64 = TensorProto.Types.DataType.Int64;

    /// <summary>Token k's colour (red, green, blue in [−1, 1]): the corners and midpoints of the colour cube, and greys.</summary>
    public static float[] Palette()
    {
        float[] levels = [-1f, 0f, 1f];
        var colours = new List<float>();
        for (var i = 0; colours.Count < Codebook * 3; i++)
        {
            // Base-3 digits of a stride through the 27 level triples: 16 distinct colours.
            var t = (i * 5) % 27;
            colours.AddRange([levels[t / 9], levels[t / 3 % 3], levels[t % 3]]);
        }

        return [.. colours];
    }

    public static ModelProto GenImgEmbeds(float[] table, int hidden)
    {
        var g = new OnnxGraphBuilder();
        g.Input("image_ids", I64, "batch_size", "sequence_length");
        g.Output("inputs_embeds", F32, "batch_size", "sequence_length", hidden);
        g.Floats("gen_embed.weight", table, Codebook, hidden);
        g.Node("/gen_embed/Gather", "Gather", ["gen_embed.weight", "image_ids"], ["inputs_embeds"], "", Int("axis", 0));
        return ForgeOnnx.Model(g);
    }

    public static ModelProto GenHead(float[] projection, int hidden)
    {
        var g = new OnnxGraphBuilder();
        g.Input("hidden_states", F32, "batch_size", "sequence_length", hidden);
        g.Output("logits", F32, "batch_size", "sequence_length", Codebook);
        g.Floats("gen_head.weight", projection, hidden, Codebook);
        g.Floats("epsilon", [1e-6f]);
        g.Int64s("last_axis", [-1], 1);
        g.Node("/gen_head/norm", "ReduceL2", ["hidden_states", "last_axis"], ["norm"], "", Int("keepdims", 1));
        g.Node("/gen_head/norm_eps", "Add", ["norm", "epsilon"], ["norm_eps"]);
        g.Node("/gen_head/unit", "Div", ["hidden_states", "norm_eps"], ["unit"]);
        g.Node("/gen_head/MatMul", "MatMul", ["unit", "gen_head.weight"], ["logits"]);
        return ForgeOnnx.Model(g);
    }

    public static ModelProto ImageDecode()
    {
        const int grid = JanusSpec.ImageSize / Patch;
        var g = new OnnxGraphBuilder();
        g.Input("generated_tokens", I64, "batch_size", JanusSpec.ImageTokens);
        g.Output("decoded_image", F32, "batch_size", 3, JanusSpec.ImageSize, JanusSpec.ImageSize);
        g.Floats("palette", Palette(), Codebook, 3);
        g.Int64s("grid_shape", [-1, 3, grid, 1, grid, 1], 6);
        g.Int64s("patch_shape", [1, 1, 1, Patch, 1, Patch], 6);
        g.Int64s("image_shape", [-1, 3, JanusSpec.ImageSize, JanusSpec.ImageSize], 4);
        g.Node("/decode/colours", "Gather", ["palette", "generated_tokens"], ["colours"], "", Int("axis", 0));
        g.Node("/decode/channels_first", "Transpose", ["colours"], ["channels"], "", ForgeOnnx.Ints("perm", 0, 2, 1));
        g.Node("/decode/grid", "Reshape", ["channels", "grid_shape"], ["grid"]);
        g.Node("/decode/patches", "Expand", ["grid", "patch_shape"], ["patches"]);
        g.Node("/decode/image", "Reshape", ["patches", "image_shape"], ["decoded_image"]);
        return ForgeOnnx.Model(g);
    }
}
