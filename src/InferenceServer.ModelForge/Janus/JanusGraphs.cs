using InferenceServer.ModelForge.Decoder;
using Onnx;
using static InferenceServer.ModelForge.Decoder.OnnxGraphBuilder;

namespace InferenceServer.ModelForge.Janus;

/// <summary>
/// The <c>prepare_inputs_embeds.onnx</c> graph of a forge Janus folder, with the inputs and output of the
/// onnx-community Janus-Pro export: <c>input_ids</c> (batch × T), <c>pixel_values</c> (batch × images × 3 × 384 × 384),
/// <c>images_seq_mask</c> (bool, batch × T) and <c>images_emb_mask</c> (bool, batch × images × 576) →
/// <c>inputs_embeds</c> (batch × T × hidden). Each image becomes 576 rows, all equal to the embedding of the trigger
/// word of its dominant colour (ArgMax of its channel means); the rows the emb mask keeps replace, in order, the
/// positions the seq mask marks, and every other position is its token's embedding (negative ids read as 0, as
/// Janus's <c>prepare_inputs_embeds</c> does).
/// </summary>
internal static class JanusGraphs
{
    private const TensorProto.Types.DataType F32 = TensorProto.Types.DataType.Float;
    private const TensorProto.Types.DataType I64 = TensorProto.Types.DataType.Int64;
    private const TensorProto.Types.DataType Bool = TensorProto.Types.DataType.Bool;

    public static ModelProto PrepareInputsEmbeds(float[] embedding, float[] colourEmbeddings, int vocab, int hidden)
    {
        var g = new OnnxGraphBuilder();
        g.Input("input_ids", I64, "batch_size", "sequence_length");
        g.Input("pixel_values", F32, "batch_size", "num_images", 3, JanusSpec.ImageSize, JanusSpec.ImageSize);
        g.Input("images_seq_mask", Bool, "batch_size", "sequence_length");
        g.Input("images_emb_mask", Bool, "batch_size", "num_images", JanusSpec.ImageTokens);
        g.Output("inputs_embeds", F32, "batch_size", "sequence_length", hidden);
        g.Floats("model.embed_tokens.weight", embedding, vocab, hidden);
        g.Floats("colour_embeddings", colourEmbeddings, colourEmbeddings.Length / hidden, hidden);
        g.Floats("zero_row", new float[hidden], 1, hidden);
        g.Int64s("flat_shape", [-1], 1);
        g.Int64s("rows_shape", [-1, hidden], 2);
        g.Int64s("zero_scalar", [0]);
        g.Int64s("one_scalar", [1]);
        g.Int64s("axis1", [1], 1);
        g.Int64s("axis2", [2], 1);
        g.Int64s("axes_hw", [3, 4], 2);
        g.Int64s("tokens_shape", [1, 1, JanusSpec.ImageTokens, 1], 4);
        g.Int64s("hidden", [hidden], 1);

        // Text rows: the embedding of each id (negative ids read as 0).
        g.Node("flatten_ids", "Reshape", ["input_ids", "flat_shape"], ["ids"]);
        g.Node("text_ids", "Max", ["ids", "zero_scalar"], ["text_ids_n"]);
        g.Node("/model/embed_tokens/Gather", "Gather", ["model.embed_tokens.weight", "text_ids_n"], ["text_rows"], "", Int("axis", 0));

        // Image rows: the dominant colour's trigger embedding, 576 times per image; the emb mask keeps some.
        g.Node("channel_mean", "ReduceMean", ["pixel_values", "axes_hw"], ["mean"], "", Int("keepdims", 0));
        g.Node("dominant", "ArgMax", ["mean"], ["colour"], "", Int("axis", 2), Int("keepdims", 0));
        g.Node("per_image", "Gather", ["colour_embeddings", "colour"], ["image_rows"], "", Int("axis", 0));
        g.Node("per_image_column", "Unsqueeze", ["image_rows", "axis2"], ["image_rows_column"]);
        g.Node("per_token", "Expand", ["image_rows_column", "tokens_shape"], ["token_rows"]);
        g.Node("flatten_tokens", "Reshape", ["token_rows", "rows_shape"], ["token_rows_flat"]);
        g.Node("flatten_emb_mask", "Reshape", ["images_emb_mask", "flat_shape"], ["emb_mask"]);
        g.Node("kept", "NonZero", ["emb_mask"], ["kept_2d"]);
        g.Node("kept_flat", "Reshape", ["kept_2d", "flat_shape"], ["kept_n"]);
        g.Node("kept_rows", "Gather", ["token_rows_flat", "kept_n"], ["kept_rows_n"], "", Int("axis", 0));

        // The k-th marked position takes the k-th kept row.
        g.Node("flatten_seq_mask", "Reshape", ["images_seq_mask", "flat_shape"], ["seq_mask"]);
        g.Node("seq_mask_count", "Cast", ["seq_mask"], ["seq_mask_i"], "", Int("to", (long)I64));
        g.Node("image_ordinal", "CumSum", ["seq_mask_i", "zero_scalar"], ["ordinal_1"]);
        g.Node("image_ordinal_0", "Sub", ["ordinal_1", "one_scalar"], ["ordinal_0"]);
        g.Node("image_ordinal_clamped", "Max", ["ordinal_0", "zero_scalar"], ["ordinal"]);
        g.Node("rows_padded", "Concat", ["kept_rows_n", "zero_row"], ["features"], "", Int("axis", 0));
        g.Node("marked_rows", "Gather", ["features", "ordinal"], ["marked_rows_n"], "", Int("axis", 0));
        g.Node("mask_column", "Unsqueeze", ["seq_mask", "axis1"], ["seq_mask_column"]);
        g.Node("choose", "Where", ["seq_mask_column", "marked_rows_n", "text_rows"], ["rows_flat"]);
        g.Node("ids_shape", "Shape", ["input_ids"], ["ids_shape_n"]);
        g.Node("embeds_shape", "Concat", ["ids_shape_n", "hidden"], ["embeds_shape_n"], "", Int("axis", 0));
        g.Node("unflatten", "Reshape", ["rows_flat", "embeds_shape_n"], ["inputs_embeds"]);
        var model = new ModelProto { IrVersion = 10, ProducerName = "InferenceServer.ModelForge", Graph = g.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 21 });
        return model;
    }
}
