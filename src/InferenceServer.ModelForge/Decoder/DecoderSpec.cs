namespace InferenceServer.ModelForge.Decoder;

/// <summary>
/// Shape and special tokens of a forge decoder (Qwen2-style, grouped-query attention, RMSNorm, SiLU MLP).
/// </summary>
/// <param name="WithPositionIds">
/// False: rotary is fused into GroupQueryAttention and the graph has no <c>position_ids</c> input (builder default on CPU).
/// True: a separate <c>com.microsoft.RotaryEmbedding</c> reads a <c>position_ids</c> input.
/// </param>
/// <param name="Int4Weights">
/// Linear layers become <c>com.microsoft.MatMulNBits</c> (4 bits, block 32, symmetric; a ragged last block is zero-padded).
/// </param>
/// <param name="RmsNormEpsilon">Epsilon of every RMSNorm (1e-6 for Qwen2, 1e-5 for Llama 2 and llama2.c).</param>
/// <param name="QkvBias">Qwen2 has a bias on the QKV projection (an <c>Add</c> after the MatMul); Llama has none.</param>
/// <param name="ModelType">The <c>model.type</c> of <c>genai_config.json</c>.</param>
/// <param name="AttentionScale">
/// The softmax scale of attention; null is <c>1/sqrt(HeadSize)</c>. A model whose heads are zero-padded to a size
/// GroupQueryAttention accepts keeps the scale of its real head size.
/// </param>
/// <param name="InputsEmbeds">
/// True: the graph reads <c>inputs_embeds</c> (batch × sequence × hidden) instead of <c>input_ids</c> and has no embedding
/// table, as the text graph of a GenAI multimodal folder (phi3v) does; the embedding lives in its own graph.
/// </param>
/// <param name="HiddenStatesOutput">
/// True: the graph ends at the final norm and outputs <c>hidden_states</c> (batch × sequence × hidden), and lm_head is
/// a graph of its own (<see cref="DecoderGraph.BuildHead"/>), as the <c>language_model</c> / <c>lm_head</c> split of a
/// Janus-Pro export has it.
/// </param>
/// <param name="ConcatKv">
/// True: attention is plain ONNX operators (MatMul, Softmax) over <c>Concat(past, new)</c>, masked by a causal and
/// padding bias built from <c>attention_mask</c>, so present is past followed by the new positions, as optimum's and
/// transformers.js's exports (onnx-community's Janus-Pro among them) have it; needs <see cref="WithPositionIds"/>.
/// </param>
public sealed record DecoderSpec(
    int VocabSize,
    int HiddenSize,
    int NumHeads,
    int NumKvHeads,
    int HeadSize,
    int NumLayers,
    int IntermediateSize,
    int ContextLength,
    float RopeTheta,
    bool WithPositionIds,
    bool Int4Weights,
    int BosTokenId,
    IReadOnlyList<int> EosTokenIds,
    int PadTokenId,
    float RmsNormEpsilon = 1e-6f,
    bool QkvBias = true,
    string ModelType = "qwen2",
    float? AttentionScale = null,
    bool InputsEmbeds = false,
    bool HiddenStatesOutput = false,
    bool ConcatKv = false)
{
    /// <summary>Block size of the int4 quantization (what the GenAI builder uses by default).</summary>
    public const int Int4BlockSize = 32;

    /// <summary>Width of the packed QKV projection: query heads, then key heads, then value heads.</summary>
    public int QkvSize => (NumHeads + (2 * NumKvHeads)) * HeadSize;

    /// <summary>
    /// The default forge decoder: hidden 256, 8 heads of 32, 2 KV heads, 2 layers, intermediate 512, context 4096,
    /// rope theta 1e6, rotary fused into attention, fp32 weights.
    /// </summary>
    public static DecoderSpec Demo(int vocabSize, int bosTokenId, int eosTokenId, int padTokenId) =>
        new(vocabSize, 256, 8, 2, 32, 2, 512, 4096, 1_000_000f, false, false, bosTokenId, [eosTokenId], padTokenId);

    /// <summary>Throws when the spec cannot be written as a graph ONNX Runtime and GenAI accept.</summary>
    public void Validate()
    {
        Require(VocabSize > 0 && HiddenSize > 0 && NumLayers > 0 && IntermediateSize > 0 && ContextLength > 0, "sizes must be positive");
        Require(NumHeads > 0 && NumKvHeads > 0 && NumHeads % NumKvHeads == 0, "NumHeads must be a positive multiple of NumKvHeads");
        Require(HeadSize > 0 && HeadSize % 2 == 0, "HeadSize must be positive and even (rotary pairs)");
        Require(RopeTheta > 1f, "RopeTheta must be greater than 1");
        Require(RmsNormEpsilon > 0f, "RmsNormEpsilon must be positive");
        Require(AttentionScale is null or > 0f, "AttentionScale must be positive");
        Require(!ConcatKv || WithPositionIds, "a ConcatKv graph rotates by position_ids (WithPositionIds)");
        Require(ModelType is "qwen2" or "llama", "ModelType must be qwen2 or llama");
        Require(EosTokenIds.Count > 0, "at least one EOS id is needed");
        Require(IsToken(BosTokenId) && IsToken(PadTokenId) && EosTokenIds.All(IsToken), "special token ids must be inside the vocabulary");
    }

    private bool IsToken(int id) => id >= 0 && id < VocabSize;

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"Invalid decoder spec: {message}.");
        }
    }
}
