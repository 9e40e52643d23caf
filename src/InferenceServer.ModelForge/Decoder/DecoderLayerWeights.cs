namespace InferenceServer.ModelForge.Decoder;

/// <summary>
/// Float weights of one decoder layer. Matrices are row-major <c>[in, out]</c> (the ONNX MatMul <c>B</c> layout).
/// </summary>
public sealed class DecoderLayerWeights
{
    public DecoderLayerWeights(DecoderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int h = spec.HiddenSize;
        int attn = spec.NumHeads * spec.HeadSize;
        InputNorm = new float[h];
        QkvWeight = new float[h * spec.QkvSize];
        QkvBias = new float[spec.QkvSize];
        OutputWeight = new float[attn * h];
        PostAttentionNorm = new float[h];
        GateWeight = new float[h * spec.IntermediateSize];
        UpWeight = new float[h * spec.IntermediateSize];
        DownWeight = new float[spec.IntermediateSize * h];
    }

    /// <summary>RMSNorm scale before attention, <c>[hidden]</c>.</summary>
    public float[] InputNorm { get; }

    /// <summary>Packed Q|K|V projection, <c>[hidden, (heads + 2 kv_heads) * head]</c>.</summary>
    public float[] QkvWeight { get; }

    /// <summary>Packed Q|K|V bias, <c>[(heads + 2 kv_heads) * head]</c>.</summary>
    public float[] QkvBias { get; }

    /// <summary>Attention output projection, <c>[heads * head, hidden]</c>.</summary>
    public float[] OutputWeight { get; }

    /// <summary>RMSNorm scale before the MLP, <c>[hidden]</c>.</summary>
    public float[] PostAttentionNorm { get; }

    /// <summary>MLP gate projection (SiLU side), <c>[hidden, intermediate]</c>.</summary>
    public float[] GateWeight { get; }

    /// <summary>MLP up projection, <c>[hidden, intermediate]</c>.</summary>
    public float[] UpWeight { get; }

    /// <summary>MLP down projection, <c>[intermediate, hidden]</c>.</summary>
    public float[] DownWeight { get; }
}
