namespace InferenceServer.ModelForge.Decoder;

/// <summary>Seeded random weights: a decoder that produces varied but reproducible tokens.</summary>
public static class RandomDecoderWeights
{
    public static DecoderWeights Create(DecoderSpec spec, int seed)
    {
        var weights = new DecoderWeights(spec);
        var random = new SplitMix64(unchecked((ulong)seed * 0x2545F4914F6CDD1DUL) + 1);
        int h = spec.HiddenSize;
        Fill(weights.Embedding, random, 1f);
        foreach (DecoderLayerWeights layer in weights.Layers)
        {
            FillNorm(layer.InputNorm, random);
            Fill(layer.QkvWeight, random, Limit(h));
            Fill(layer.QkvBias, random, 0.1f);
            Fill(layer.OutputWeight, random, Limit(spec.NumHeads * spec.HeadSize));
            FillNorm(layer.PostAttentionNorm, random);
            Fill(layer.GateWeight, random, Limit(h));
            Fill(layer.UpWeight, random, Limit(h));
            Fill(layer.DownWeight, random, Limit(spec.IntermediateSize));
        }

        FillNorm(weights.FinalNorm, random);

        // A wide lm_head spreads the logits, so greedy argmax has no near ties between runtimes.
        Fill(weights.LmHead, random, 4f * Limit(h));
        return weights;
    }

    // Uniform with the variance of a 1/sqrt(fan_in) Gaussian init.
    private static float Limit(int fanIn) => MathF.Sqrt(3f / fanIn);

    private static void Fill(float[] target, SplitMix64 random, float limit)
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] = random.NextSymmetric(limit);
        }
    }

    private static void FillNorm(float[] target, SplitMix64 random)
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] = 1f + random.NextSymmetric(0.1f);
        }
    }
}
