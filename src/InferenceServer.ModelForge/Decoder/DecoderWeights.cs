namespace InferenceServer.ModelForge.Decoder;

/// <summary>All float tensors of a forge decoder graph, zero-initialised for a spec.</summary>
public sealed class DecoderWeights
{
    public DecoderWeights(DecoderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        Embedding = new float[spec.VocabSize * spec.HiddenSize];
        var layers = new DecoderLayerWeights[spec.NumLayers];
        for (int i = 0; i < layers.Length; i++)
        {
            layers[i] = new DecoderLayerWeights(spec);
        }

        Layers = layers;
        FinalNorm = new float[spec.HiddenSize];
        LmHead = new float[spec.HiddenSize * spec.VocabSize];
    }

    /// <summary>The spec these tensors are sized for.</summary>
    public DecoderSpec Spec { get; }

    /// <summary>Token embedding table, <c>[vocab, hidden]</c>.</summary>
    public float[] Embedding { get; }

    /// <summary>One entry per layer.</summary>
    public IReadOnlyList<DecoderLayerWeights> Layers { get; }

    /// <summary>RMSNorm scale after the last layer, <c>[hidden]</c>.</summary>
    public float[] FinalNorm { get; }

    /// <summary>Output projection to the vocabulary (no bias), <c>[hidden, vocab]</c>.</summary>
    public float[] LmHead { get; }
}
