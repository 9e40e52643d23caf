using InferenceServer.ModelForge.Decoder;

namespace InferenceServer.ModelForge.Llama2c;

/// <summary>
/// Converts a llama2.c checkpoint and tokenizer into an ONNX Runtime GenAI folder (<c>type: llama</c>) through the
/// forge's decoder writer: Llama layout (no QKV bias, RMSNorm epsilon 1e-5, SwiGLU), tied classifier, and a
/// Hugging Face <c>tokenizer.json</c> that encodes as llama2.c does.
/// </summary>
/// <remarks>
/// llama2.c rotates interleaved pairs <c>(2j, 2j+1)</c> of each head; GroupQueryAttention's fused rotary is used in its
/// default half-split form (pairs <c>(j, j + head/2)</c>), so the rows of wq and wk are permuted inside each head as
/// Hugging Face's <c>convert_llama_weights_to_hf.py</c> does. Attention scores are unchanged by the permutation.
/// <para>
/// ONNX Runtime's CPU GroupQueryAttention refuses a head size that is not a multiple of 16 ("head_size shall be a
/// multiple of 16"); stories260K's heads are 8 wide. So each head is zero-padded to <see cref="GraphHeadSize"/>: both
/// halves of the half-split head get zeros after their real entries, V gets zeros at the end and wo reads nothing
/// from them. Zeros add nothing to a dot product and rotate into zeros, the softmax scale stays <c>1/sqrt(8)</c>, and
/// the rotary base becomes <c>theta^(padded/real)</c> so pair j keeps its frequency <c>theta^(-2j/real)</c>.
/// </para>
/// </remarks>
public static class Llama2cConverter
{
    /// <summary>llama2.c's RMSNorm epsilon (<c>run.c</c>).</summary>
    public const float RmsNormEpsilon = 1e-5f;

    /// <summary>llama2.c's rotary base.</summary>
    public const float RopeTheta = 10000f;

    /// <summary>The smallest head size GroupQueryAttention accepts on CPU that holds <paramref name="headSize"/>.</summary>
    public static int GraphHeadSize(int headSize) => (headSize + 15) / 16 * 16;

    /// <summary>Reads both files and writes the folder (created when missing); returns the spec it wrote.</summary>
    public static DecoderSpec Convert(string checkpointPath, string tokenizerPath, string folder, bool int4Weights = false) =>
        Convert(File.ReadAllBytes(checkpointPath), File.ReadAllBytes(tokenizerPath), folder, int4Weights);

    /// <summary>Same as <see cref="Convert(string, string, string, bool)"/> from the files' bytes.</summary>
    public static DecoderSpec Convert(byte[] checkpoint, byte[] tokenizer, string folder, bool int4Weights = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var model = Llama2cCheckpoint.Read(checkpoint);
        var vocabulary = Llama2cVocabulary.Read(tokenizer, model.VocabSize);
        var spec = Spec(model, int4Weights);
        Directory.CreateDirectory(folder);
        DecoderModelWriter.Write(folder, spec, Weights(model, spec));
        Llama2cTokenizerWriter.Write(folder, vocabulary, model.SeqLen);
        return spec;
    }

    /// <summary>The decoder spec of a checkpoint: the forge graph in its Llama form.</summary>
    public static DecoderSpec Spec(Llama2cCheckpoint model, bool int4Weights)
    {
        ArgumentNullException.ThrowIfNull(model);
        int head = GraphHeadSize(model.HeadSize);
        float theta = (float)Math.Pow(RopeTheta, (double)head / model.HeadSize);
        return new DecoderSpec(
            model.VocabSize, model.Dim, model.Heads, model.KvHeads, head, model.Layers, model.HiddenDim, model.SeqLen, theta,
            WithPositionIds: false, Int4Weights: int4Weights,
            BosTokenId: Llama2cVocabulary.BosId,
            EosTokenIds: [Llama2cVocabulary.EosId, Llama2cVocabulary.BosId],
            PadTokenId: Llama2cVocabulary.UnknownId,
            RmsNormEpsilon: RmsNormEpsilon, QkvBias: false, ModelType: "llama", AttentionScale: 1f / MathF.Sqrt(model.HeadSize));
    }

    /// <summary>The checkpoint's tensors in the forge layout (matrices <c>[in, out]</c>, packed Q|K|V, rotary permuted).</summary>
    public static DecoderWeights Weights(Llama2cCheckpoint model, DecoderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        var weights = new DecoderWeights(spec);
        int dim = model.Dim;
        int kv = model.KvDim;
        int hidden = model.HiddenDim;
        Array.Copy(model.TokenEmbedding, weights.Embedding, weights.Embedding.Length);
        Array.Copy(model.RmsFinal, weights.FinalNorm, dim);
        Transpose(model.Classifier, 0, model.VocabSize, dim, weights.LmHead, spec.VocabSize, 0, RowIdentity);
        for (int l = 0; l < model.Layers; l++)
        {
            DecoderLayerWeights layer = weights.Layers[l];
            Array.Copy(model.RmsAttention, l * dim, layer.InputNorm, 0, dim);
            Array.Copy(model.RmsFfn, l * dim, layer.PostAttentionNorm, 0, dim);
            int qkv = spec.QkvSize;
            int head = model.HeadSize;
            int padded = spec.HeadSize;
            int q = spec.NumHeads * padded;
            int k = spec.NumKvHeads * padded;
            Transpose(model.Wq, l * dim * dim, dim, dim, layer.QkvWeight, qkv, 0, r => HalfSplitRow(r, head, padded));
            Transpose(model.Wk, l * kv * dim, kv, dim, layer.QkvWeight, qkv, q, r => HalfSplitRow(r, head, padded));
            Transpose(model.Wv, l * kv * dim, kv, dim, layer.QkvWeight, qkv, q + k, r => PaddedRow(r, head, padded));
            TransposeInput(model.Wo, l * dim * dim, dim, dim, layer.OutputWeight, c => PaddedRow(c, head, padded));
            Transpose(model.W1, l * hidden * dim, hidden, dim, layer.GateWeight, hidden, 0, RowIdentity);
            Transpose(model.W3, l * hidden * dim, hidden, dim, layer.UpWeight, hidden, 0, RowIdentity);
            Transpose(model.W2, l * dim * hidden, dim, hidden, layer.DownWeight, dim, 0, RowIdentity);
        }

        return weights;
    }

    /// <summary>
    /// Where row <paramref name="row"/> of llama2.c's interleaved layout goes in the padded half-split layout: in each
    /// head, pair element <c>2j + t</c> moves to <c>t * padded/2 + j</c>.
    /// </summary>
    public static int HalfSplitRow(int row, int headSize, int paddedHeadSize)
    {
        int head = row / headSize;
        int within = row % headSize;
        return (head * paddedHeadSize) + ((within % 2) * (paddedHeadSize / 2)) + (within / 2);
    }

    /// <summary>Where a value row (or an input of wo) goes when each head is padded at its end.</summary>
    public static int PaddedRow(int row, int headSize, int paddedHeadSize) => (row / headSize * paddedHeadSize) + (row % headSize);

    private static int RowIdentity(int row) => row;

    // source [rows(out), cols(in)] → target [map(col), rows]: the input side moves (wo reads the padded heads).
    private static void TransposeInput(float[] source, int sourceOffset, int rows, int cols, float[] target, Func<int, int> map)
    {
        for (int r = 0; r < rows; r++)
        {
            int from = sourceOffset + (r * cols);
            for (int c = 0; c < cols; c++)
            {
                target[(map(c) * rows) + r] = source[from + c];
            }
        }
    }

    // source [rows(out), cols(in)] at sourceOffset → target [cols(in), targetWidth] at column targetColumn + map(row).
    private static void Transpose(float[] source, int sourceOffset, int rows, int cols, float[] target, int targetWidth, int targetColumn, Func<int, int> map)
    {
        for (int r = 0; r < rows; r++)
        {
            int column = targetColumn + map(r);
            int from = sourceOffset + (r * cols);
            for (int c = 0; c < cols; c++)
            {
                target[(c * targetWidth) + column] = source[from + c];
            }
        }
    }
}
