namespace InferenceServer.ModelForge.Decoder;

/// <summary>
/// Hand-set weights whose greedy decoding follows a <see cref="ScriptTable"/>. Every part of the graph carries the signal:
/// <list type="bullet">
/// <item>The embedding writes a constant bias, the token's class (trigger m, reset, or neither) and its identity, so every
/// embedding has the same norm and RMSNorm scales are known exactly.</item>
/// <item>Each attention layer (query head 0, KV head 0) queries from the bias with a key only on trigger and reset
/// tokens. On the slowest rotary pair the score is a base that keeps such a key at least <see cref="TriggerScore"/>
/// anywhere in the context; on the next pair, a quarter turn out of phase, it falls by <see cref="RecencyGap"/> per
/// token of distance (nearly linearly: that pair turns little over the context). So softmax puts ~all weight on the
/// most recent trigger or reset token wherever it is (none: uniform). Its value is the class one-hot times 1/layers
/// (a reset writes mode 0): together the layers write the mode one-hot, each layer one share.</item>
/// <item>The last MLP has one SiLU unit per transition that fires only for (mode share from every layer AND current
/// token), writing the next token's output dimension; the lm_head maps it to the logit.</item>
/// <item>The lm_head also reads the bias into the first EOS id: it wins when no unit fires.</item>
/// </list>
/// </summary>
public static class ScriptedDecoderWeights
{
    /// <summary>Constant bias dimension of every embedding.</summary>
    private const float Bias = 4f;

    /// <summary>Least attention score of a trigger or reset key, at the far end of the context (others score 0).</summary>
    public const float TriggerScore = 30f;

    /// <summary>How much a trigger or reset key's score falls per token of distance: the most recent one wins by at least this.</summary>
    public const float RecencyGap = 8f;

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
        if (minCos < 0.75 || RecencyTurn(spec) > 1.0)
        {
            throw new ArgumentException($"RopeTheta {spec.RopeTheta} turns the slowest rotary pairs too far over {spec.ContextLength} tokens.");
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

    /// <summary>The angle the recency pair (the second slowest) turns over the whole context.</summary>
    private static double RecencyTurn(DecoderSpec spec) =>
        (spec.ContextLength - 1) * RotaryCache.Frequency((spec.HeadSize / 2) - 2, spec.HeadSize, spec.RopeTheta);

    private static void Embed(DecoderSpec spec, ScriptTable table, ScriptLayout layout, float[] embedding)
    {
        int h = spec.HiddenSize;
        for (int token = 0; token < spec.VocabSize; token++)
        {
            int trigger = IndexOf(table.TriggerTokenIds, token);
            int tokenClass = IndexOf(table.ResetTokenIds, token) >= 0 ? layout.ResetClass : trigger + 1;
            embedding[(token * h) + ScriptLayout.BiasDim] = Bias;
            embedding[(token * h) + layout.ClassStart + tokenClass] = 1f;
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
        int half = head / 2;
        int slowPair = half - 1;
        int recencyPair = half - 2;
        int keyStart = spec.NumHeads * head;
        int valueStart = keyStart + (spec.NumKvHeads * head);

        // Score(d) = base·cos(ω_s·d) + recency·cos(ω_r·d + φ) for a key d tokens back (d ≤ context − 1). With φ a quarter
        // turn less half the recency pair's sweep, the second term falls by at least RecencyGap per token and ends at
        // −recency·sin(sweep / 2); the base lifts that end to TriggerScore.
        double sweep = RecencyTurn(spec);
        double slowSweep = (spec.ContextLength - 1) * RotaryCache.Frequency(slowPair, head, spec.RopeTheta);
        double recency = RecencyGap / (RotaryCache.Frequency(recencyPair, head, spec.RopeTheta) * Math.Cos(sweep / 2));
        double baseScore = (TriggerScore + (recency * Math.Sin(sweep / 2))) / Math.Cos(slowSweep);
        double phase = (Math.PI / 2) - (sweep / 2);
        double scale = Math.Sqrt(head);
        float baseAmplitude = (float)Math.Sqrt(baseScore * scale);
        float recencyAmplitude = (float)Math.Sqrt(recency * scale);

        // Query head 0 and KV head 0 (the group query head 0 belongs to); the other heads stay zero.
        layer.QkvWeight[(ScriptLayout.BiasDim * qkv) + slowPair] = baseAmplitude / Bias;
        layer.QkvWeight[(ScriptLayout.BiasDim * qkv) + recencyPair] = (float)(recencyAmplitude * Math.Cos(phase)) / Bias;
        layer.QkvWeight[(ScriptLayout.BiasDim * qkv) + recencyPair + half] = (float)(recencyAmplitude * Math.Sin(phase)) / Bias;
        for (int tokenClass = 0; tokenClass <= layout.ResetClass; tokenClass++)
        {
            int classDim = layout.ClassStart + tokenClass;
            if (tokenClass > 0)
            {
                layer.QkvWeight[(classDim * qkv) + keyStart + slowPair] = baseAmplitude;
                layer.QkvWeight[(classDim * qkv) + keyStart + recencyPair] = recencyAmplitude;
            }

            int mode = tokenClass == layout.ResetClass ? 0 : tokenClass;
            layer.QkvWeight[(classDim * qkv) + valueStart + mode] = share;
        }

        for (int mode = 0; mode < layout.Modes; mode++)
        {
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
