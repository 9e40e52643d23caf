namespace InferenceServer.ModelForge.Decoder;

/// <summary>
/// Hand-set weights whose greedy decoding follows a <see cref="ScriptTable"/>. Every part of the graph carries the signal:
/// <list type="bullet">
/// <item>The embedding writes a constant bias, the token's class (trigger m or not a trigger) and its identity, so every
/// embedding has the same norm and RMSNorm scales are known exactly.</item>
/// <item>Each attention layer (query head 0, KV head 0) queries from the bias with a key only on trigger tokens, on the
/// slowest rotary pair, so softmax puts ~all weight on the trigger wherever it is (no trigger: uniform). Its value is
/// the class one-hot times 1/layers: together the layers write the mode one-hot, each layer one share.</item>
/// <item>The last MLP has one SiLU unit per transition that fires only for (mode share from every layer AND current
/// token), writing the next token's output dimension; the lm_head maps it to the logit.</item>
/// <item>The lm_head also reads the bias into the first EOS id: it wins when no unit fires.</item>
/// </list>
/// </summary>
public static class ScriptedDecoderWeights
{
    /// <summary>Constant bias dimension of every embedding.</summary>
    private const float Bias = 4f;

    /// <summary>Attention score of a trigger key before rotary (others score 0).</summary>
    public const float TriggerScore = 30f;

    /// <summary>Gain of the MLP units: a unit's gate is Gain × (identity + mode − threshold).</summary>
    private const float Gain = 40f;

    /// <summary>Logit of the first EOS id, in residual units (a firing unit gives about Gain / (2 × layers)).</summary>
    private const float EosLogit = 5f;

    /// <summary>
    /// Scales every scripted logit, so the script also holds when sampling: the lead of the scripted token
    /// (about 7 residual units) becomes about 58 logits, and even temperature 2 leaves the others below e^-29 each.
    /// </summary>
    private const float LogitScale = 8f;

    public static DecoderWeights Create(DecoderSpec spec, ScriptTable table)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(table);
        var weights = new DecoderWeights(spec);
        table.Validate(spec.VocabSize);
        var layout = new ScriptLayout(spec, table);
        if (spec.HeadSize < layout.Modes)
        {
            throw new ArgumentException($"Script table needs a head size of at least {layout.Modes}.");
        }

        if (spec.IntermediateSize < table.Transitions.Count)
        {
            throw new ArgumentException($"Script table needs an intermediate size of at least {table.Transitions.Count}.");
        }

        double minCos = MinimumRotaryCosine(spec);
        if (minCos < 0.75)
        {
            throw new ArgumentException($"RopeTheta {spec.RopeTheta} turns the slowest rotary pair too far over {spec.ContextLength} tokens.");
        }

        Embed(spec, table, layout, weights.Embedding);
        int layers = spec.NumLayers;
        for (int l = 0; l < layers; l++)
        {
            DecoderLayerWeights layer = weights.Layers[l];
            float share = (float)l / layers;
            Array.Fill(layer.InputNorm, NormScale(spec, share));
            Array.Fill(layer.PostAttentionNorm, NormScale(spec, (float)(l + 1) / layers));
            Attention(spec, layout, layer, 1f / layers);
        }

        Mlp(spec, table, layout, weights.Layers[layers - 1], 2f - (0.5f / layers));
        Array.Fill(weights.FinalNorm, 1f);
        for (int i = 0; i < table.Transitions.Count; i++)
        {
            int next = table.Transitions[i].NextToken;
            weights.LmHead[(layout.OutputDim(next) * spec.VocabSize) + next] = LogitScale;
        }

        weights.LmHead[(ScriptLayout.BiasDim * spec.VocabSize) + spec.EosTokenIds[0]] = LogitScale * EosLogit / Bias;
        return weights;
    }

    /// <summary>Smallest cosine of the slowest rotary pair between a query and a key up to the context length apart.</summary>
    public static double MinimumRotaryCosine(DecoderSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        double angle = (spec.ContextLength - 1) * RotaryCache.Frequency((spec.HeadSize / 2) - 1, spec.HeadSize, spec.RopeTheta);
        return angle >= Math.PI ? -1 : Math.Cos(angle);
    }

    private static void Embed(DecoderSpec spec, ScriptTable table, ScriptLayout layout, float[] embedding)
    {
        int h = spec.HiddenSize;
        for (int token = 0; token < spec.VocabSize; token++)
        {
            int trigger = IndexOf(table.TriggerTokenIds, token);
            embedding[(token * h) + ScriptLayout.BiasDim] = Bias;
            embedding[(token * h) + layout.ClassStart + trigger + 1] = 1f;
            embedding[(token * h) + layout.IdentityDim(token)] = 1f;
        }
    }

    // RMSNorm gamma that gives back the residual in its own units when the mode dims hold `modeShare` of a one-hot.
    private static float NormScale(DecoderSpec spec, float modeShare) =>
        MathF.Sqrt(((Bias * Bias) + 2f + (modeShare * modeShare)) / spec.HiddenSize);

    private static void Attention(DecoderSpec spec, ScriptLayout layout, DecoderLayerWeights layer, float share)
    {
        int qkv = spec.QkvSize;
        int head = spec.HeadSize;
        int slowPair = (head / 2) - 1;
        int keyStart = spec.NumHeads * head;
        int valueStart = keyStart + (spec.NumKvHeads * head);
        float amplitude = MathF.Sqrt(TriggerScore * MathF.Sqrt(head));

        // Query head 0 and KV head 0 (the group query head 0 belongs to); the other heads stay zero.
        layer.QkvWeight[(ScriptLayout.BiasDim * qkv) + slowPair] = amplitude / Bias;
        for (int mode = 0; mode < layout.Modes; mode++)
        {
            int classDim = layout.ClassStart + mode;
            if (mode > 0)
            {
                layer.QkvWeight[(classDim * qkv) + keyStart + slowPair] = amplitude;
            }

            layer.QkvWeight[(classDim * qkv) + valueStart + mode] = share;
            layer.OutputWeight[(mode * spec.HiddenSize) + layout.ModeStart + mode] = 1f;
        }
    }

    private static void Mlp(DecoderSpec spec, ScriptTable table, ScriptLayout layout, DecoderLayerWeights layer, float threshold)
    {
        int inter = spec.IntermediateSize;
        for (int unit = 0; unit < table.Transitions.Count; unit++)
        {
            ScriptTransition t = table.Transitions[unit];
            layer.GateWeight[(layout.IdentityDim(t.CurrentToken) * inter) + unit] = Gain;
            layer.GateWeight[((layout.ModeStart + t.Mode) * inter) + unit] = Gain;
            layer.GateWeight[(ScriptLayout.BiasDim * inter) + unit] = -threshold * Gain / Bias;
            layer.UpWeight[(ScriptLayout.BiasDim * inter) + unit] = 1f / Bias;
            layer.DownWeight[(unit * spec.HiddenSize) + layout.OutputDim(t.NextToken)] = 1f;
        }
    }

    private static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return -1;
    }
}
