using InferenceServer.ModelForge.Decoder;
using Onnx;
using static InferenceServer.ModelForge.Decoder.OnnxGraphBuilder;

namespace InferenceServer.ModelForge.Vision;

/// <summary>
/// The vision and embedding graphs of a forge phi3v folder, with the input and output names and ranks of ONNX
/// Runtime GenAI's Phi-3.5-vision export:
/// <list type="bullet">
/// <item><c>vision.onnx</c>: <c>pixel_values</c> (images × crops × 3 × 336 × 336) and <c>image_sizes</c> (images × 2,
/// the HD size) → <c>image_features</c> (image tokens × hidden). Each image becomes as many rows as the processor
/// counts for it, all equal to the embedding of the trigger word of its dominant colour (ArgMax of the channel means of
/// the global view, un-normalised).</item>
/// <item><c>embedding.onnx</c>: <c>input_ids</c> (batch × sequence; image token k of the prompt is a negative id) and
/// <c>image_features</c> → <c>inputs_embeds</c>: the token's embedding row, or for a negative id the next
/// feature row in order.</item>
/// </list>
/// </summary>
internal static class Phi3VisionGraphs
{
    private const TensorProto.Types.DataType F32 = TensorProto.Types.DataType.Float;
    private const TensorProto.Types.DataType I64 = TensorProto.Types.DataType.Int64;

    public static ModelProto Vision(float[] colourEmbeddings, int hidden)
    {
        var g = new OnnxGraphBuilder();
        g.Input("pixel_values", F32, "num_images", "max_num_crops", 3, Phi3VisionSpec.CropSize, Phi3VisionSpec.CropSize);
        g.Input("image_sizes", I64, "num_images", 2);
        g.Output("image_features", F32, "num_image_tokens", hidden);

        // Dominant colour of the global view (crop 0), in 0..1 pixel units.
        g.Int64s("zero", [0]);
        g.Int64s("one", [1]);
        g.Int64s("axes_hw", [2, 3], 2);
        g.Node("global_view", "Gather", ["pixel_values", "zero"], ["global"], "", Int("axis", 1));
        g.Node("channel_mean", "ReduceMean", ["global", "axes_hw"], ["mean"], "", Int("keepdims", 0));
        g.Floats("clip_std", [.. Phi3VisionSpec.Std], 3);
        g.Floats("clip_mean", [.. Phi3VisionSpec.Mean], 3);
        g.Node("unscale", "Mul", ["mean", "clip_std"], ["mean_scaled"]);
        g.Node("unshift", "Add", ["mean_scaled", "clip_mean"], ["rgb"]);
        g.Node("dominant", "ArgMax", ["rgb"], ["colour"], "", Int("axis", 1), Int("keepdims", 0));
        g.Floats("colour_embeddings", colourEmbeddings, colourEmbeddings.Length / hidden, hidden);
        g.Node("per_image", "Gather", ["colour_embeddings", "colour"], ["image_rows"], "", Int("axis", 0));

        // Tokens per image: ((h/336 · w/336) + 1) · 144 + 1 + (h/336 + 1) · 12, from image_sizes.
        g.Int64s("crop", [Phi3VisionSpec.CropSize]);
        g.Int64s("per_crop", [Phi3VisionSpec.TokensPerCrop]);
        g.Int64s("per_row", [Phi3VisionSpec.SeparatorTokensPerRow]);
        g.Node("height", "Gather", ["image_sizes", "zero"], ["h2"], "", Int("axis", 1));
        g.Node("width", "Gather", ["image_sizes", "one"], ["w2"], "", Int("axis", 1));
        g.Node("rows", "Div", ["h2", "crop"], ["rows_n"]);
        g.Node("columns", "Div", ["w2", "crop"], ["columns_n"]);
        g.Node("crops", "Mul", ["rows_n", "columns_n"], ["crops_n"]);
        g.Node("views", "Add", ["crops_n", "one"], ["views_n"]);
        g.Node("view_tokens", "Mul", ["views_n", "per_crop"], ["view_tokens_n"]);
        g.Node("with_glb", "Add", ["view_tokens_n", "one"], ["with_glb_n"]);
        g.Node("row_count", "Add", ["rows_n", "one"], ["row_count_n"]);
        g.Node("separators", "Mul", ["row_count_n", "per_row"], ["separators_n"]);
        g.Node("tokens", "Add", ["with_glb_n", "separators_n"], ["tokens_n"]);

        // Row r of the output belongs to image i when ends[i-1] <= r < ends[i].
        g.Int64s("zero_scalar", [0]);
        g.Int64s("one_scalar", [1]);
        g.Int64s("axis0", [0], 1);
        g.Int64s("axis1", [1], 1);
        g.Node("ends", "CumSum", ["tokens_n", "zero_scalar"], ["ends_n"]);
        g.Node("total", "ReduceSum", ["tokens_n"], ["total_n"], "", Int("keepdims", 0));
        g.Node("positions", "Range", ["zero_scalar", "total_n", "one_scalar"], ["r"]);
        g.Node("positions_column", "Unsqueeze", ["r", "axis1"], ["r_column"]);
        g.Node("ends_row", "Unsqueeze", ["ends_n", "axis0"], ["ends_row_n"]);
        g.Node("past_end", "GreaterOrEqual", ["r_column", "ends_row_n"], ["past"]);
        g.Node("past_count", "Cast", ["past"], ["past_i"], "", Int("to", (long)I64));
        g.Node("image_index", "ReduceSum", ["past_i", "axis1"], ["image_of_row"], "", Int("keepdims", 0));
        g.Node("expand", "Gather", ["image_rows", "image_of_row"], ["image_features"], "", Int("axis", 0));
        return Model(g);
    }

    public static ModelProto Embedding(float[] embedding, int vocab, int hidden)
    {
        var g = new OnnxGraphBuilder();
        g.Input("input_ids", I64, "batch_size", "sequence_length");
        g.Input("image_features", F32, "num_image_tokens", hidden);
        g.Output("inputs_embeds", F32, "batch_size", "sequence_length", hidden);
        g.Floats("model.embed_tokens.weight", embedding, vocab, hidden);
        g.Floats("zero_row", new float[hidden], 1, hidden);
        g.Int64s("flat_shape", [-1], 1);
        g.Int64s("zero_scalar", [0]);
        g.Int64s("one_scalar", [1]);
        g.Int64s("axis1", [1], 1);
        g.Int64s("hidden", [hidden], 1);
        g.Node("flatten", "Reshape", ["input_ids", "flat_shape"], ["ids"]);
        g.Node("is_image", "Less", ["ids", "zero_scalar"], ["image_mask"]);
        g.Node("text_ids", "Max", ["ids", "zero_scalar"], ["text_ids_n"]);
        g.Node("/model/embed_tokens/Gather", "Gather", ["model.embed_tokens.weight", "text_ids_n"], ["text_rows"], "", Int("axis", 0));
        g.Node("image_count", "Cast", ["image_mask"], ["image_mask_i"], "", Int("to", (long)I64));
        g.Node("image_ordinal", "CumSum", ["image_mask_i", "zero_scalar"], ["ordinal_1"]);
        g.Node("image_ordinal_0", "Sub", ["ordinal_1", "one_scalar"], ["ordinal_0"]);
        g.Node("image_ordinal_clamped", "Max", ["ordinal_0", "zero_scalar"], ["ordinal"]);
        g.Node("features_padded", "Concat", ["image_features", "zero_row"], ["features"], "", Int("axis", 0));
        g.Node("image_rows", "Gather", ["features", "ordinal"], ["image_rows_n"], "", Int("axis", 0));
        g.Node("mask_column", "Unsqueeze", ["image_mask", "axis1"], ["image_mask_column"]);
        g.Node("choose", "Where", ["image_mask_column", "image_rows_n", "text_rows"], ["rows_flat"]);
        g.Node("ids_shape", "Shape", ["input_ids"], ["ids_shape_n"]);
        g.Node("embeds_shape", "Concat", ["ids_shape_n", "hidden"], ["embeds_shape_n"], "", Int("axis", 0));
        g.Node("unflatten", "Reshape", ["rows_flat", "embeds_shape_n"], ["inputs_embeds"]);
        return Model(g);
    }

    private static ModelProto Model(OnnxGraphBuilder g)
    {
        var model = new ModelProto { IrVersion = 10, ProducerName = "InferenceServer.ModelForge", Graph = g.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 21 });
        return model;
    }
}
